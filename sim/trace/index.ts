// sim/trace: one event model for every layer, the recorder, filters and exporters
// (JSON, text, Mermaid, pcapng).
export * from './event.ts';
export * from './clock.ts';
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
