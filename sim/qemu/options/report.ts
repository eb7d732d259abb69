// QEMU's error reporting (util/error-report.c, 7.2) as it appears on stderr: every report starts with
// the program name and the current "location" — the command-line option being processed, e.g.
// `-fsdev proxy,id=f0: ` — and `-msg timestamp=on` (libvirt always passes it) prefixes an ISO-8601
// UTC time. Hints (error_append_hint / error_printf) are printed bare. The time comes from the
// caller's virtual clock, never from the host (sim/ is deterministic).

export const QEMU_PROGRAM = 'qemu-system-x86_64';

/** Where a report comes from: the option as typed (`-fsdev` + its argument), or none. */
export interface Location {
  option: string;
  arg?: string;
}

export function formatLocation(loc: Location | undefined): string {
  if (!loc) return '';
  return loc.arg === undefined ? `${loc.option}: ` : `${loc.option} ${loc.arg}: `;
}

export class Stderr {
  private out = '';
  /** Set by `-msg timestamp=on` while the command line is walked (vl.c configure_msg). */
  timestamps = false;
  /** Old QEMUs (1.x) printed many fsdev/9p errors with bare fprintf(stderr, …). */
  constructor(private readonly clockIso: () => string) {}

  private prefix(loc: Location | undefined): string {
    return `${this.timestamps ? `${this.clockIso()} ` : ''}${QEMU_PROGRAM}: ${formatLocation(loc)}`;
  }

  /** error_report / error_report_err: one line, then any hints verbatim. */
  error(loc: Location | undefined, msg: string, hint = ''): void {
    this.out += `${this.prefix(loc)}${msg}\n${hint}`;
  }

  /** warn_report: the location, then `warning: `. */
  warn(loc: Location | undefined, msg: string, hint = ''): void {
    this.out += `${this.prefix(loc)}warning: ${msg}\n${hint}`;
  }

  /** fprintf(stderr, …) / error_printf / printf of help texts: verbatim. */
  raw(text: string): void {
    this.out += text;
  }

  text(): string {
    return this.out;
  }
}

/** How the simulated QEMU stops: thrown internally, caught by the command-line walk. */
export class QemuExit {
  constructor(readonly status: number) {}
}

/** `abort()` (e.g. a failed assert in the proxy client): killed by SIGABRT. */
export class QemuAbort {
  constructor(readonly signal: 'SIGABRT' = 'SIGABRT') {}
}

/** Realize blocks forever waiting for a reply that never comes (real-helper.md §5, fake peer never answers). */
export class QemuHang {}
