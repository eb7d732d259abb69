// Typed errors of the option model. These are about the *input to the simulator* (something it does
// not model, a bad peer name), never about QEMU's verdict, which is data (stderr + exit status).

export class QemuNotModelledError extends Error {
  static readonly code = 'QemuNotModelled' as const;
  readonly code = QemuNotModelledError.code;
  constructor(readonly data: { argIndex: number; option: string; reason: string }) {
    super(`argument ${data.argIndex} (${data.option}): ${data.reason}`);
    this.name = 'QemuNotModelledError';
  }
}

export class UnknownPeerError extends Error {
  static readonly code = 'UnknownPeer' as const;
  readonly code = UnknownPeerError.code;
  constructor(readonly data: { peer: string; known: readonly string[] }) {
    super(`unknown peer '${data.peer}'; expected one of ${data.known.join(', ')}`);
    this.name = 'UnknownPeerError';
  }
}
