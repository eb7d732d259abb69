// sim/trace: one event model for every layer, the recorder, filters, exporters and importers.
//
//   event.ts          TraceEvent (launch | guest-call | p9 | proxy | syscall | note | process), lanes
//   recorder.ts       TraceRecorder: record(), p9()/proxy()/syscall()/note(), withCause(), subscribe()
//   clock.ts          TraceClock: virtual nanoseconds
//   causality.ts      causalDepths(), ancestors(), descendants()
//   summary.ts        summarizeEvent(), arrowOf(): the one-line text every view shares
//   filter.ts         TraceFilter, matchEvent(), filterEvents(), parseFilter() (query language)
//   export-text.ts    exportText(): indented by cause, creds/caps on syscalls
//   export-mermaid.ts exportMermaid(): sequenceDiagram with Guest, QEMU, Helper, Host kernel
//   json.ts           exportJson()/importJson(): "virtfs-lab-trace/1"
//   export-pcapng.ts  exportPcapng(): 9P as TCP/564 (+ proxy frames as TCP/10564) for Wireshark
//   import-pcap.ts    importCapture(): 9P from pcapng/pcap captures back into p9 events
//   host-adapter.ts   attachKernel(): sim/host syscall records → syscall events
//   pcapng.ts, netsynth.ts, caps.ts: the building blocks
export * from './event.ts';
export * from './clock.ts';
export * from './cost.ts';
export * from './recorder.ts';
export * from './causality.ts';
export * from './summary.ts';
export * from './filter.ts';
export * from './caps.ts';
export * from './export-text.ts';
export * from './export-mermaid.ts';
export * from './json.ts';
export * from './pcapng.ts';
export * from './netsynth.ts';
export * from './export-pcapng.ts';
export * from './host-adapter.ts';
export * from './import-pcap.ts';
