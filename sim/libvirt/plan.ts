// planLaunch: domain XML → launch plan (socketpairs, helper argv, QEMU argv, verdict, notes).
//
// One pipeline for both generations (libvirt.md §8): parse (§1.2 / §6.1) → capabilities (-help
// probe §2.2, QMP basic set §2.3, or 9.0's version model) → aliases fsN → PCI slots → -fsdev and
// -device words (§3.2 / §6.2) → the helper launch of the proxy patch (§4.3, or the corrected variant
// of §4.5) → the QEMU verdict from sim/qemu/options.

import { LibvirtError, formatVirError } from './errors.ts';
import type { Era, LegacyRelease, Variant } from './era.ts';
import { parseDomainXml, type DomainDef } from './conf/domain.ts';
import { resolveLegacyCaps, resolveModernCaps, type ResolvedCaps } from './caps/model.ts';
import { parseHelpVersion, unwrapHelpTranscript, versionString } from './caps/help.ts';
import { sortCaps } from './caps/names.ts';
import { NOTES } from './notes.ts';
import { lineColAt } from './xml/position.ts';
import { buildLegacyCommandLine, LegacyBuildError } from './qemu/legacy-cmdline.ts';
import { buildModernCommandLine } from './qemu/modern-cmdline.ts';
import { defaultHelperLocation } from './qemu/legacy-proxy.ts';
import type { WordOrigin } from './qemu/argv-builder.ts';
import { qemuVerdict } from './verdict.ts';
import { qemuVersion as modelVersion } from '../qemu/versions.ts';
import type { Diagnostic, Note, PlanOptions, PlanResult, SocketPair } from './types.ts';
import { utf8Length } from '../text/utf8.ts';

/** Debian's directory of the helper (real-helper.md §1): the corrected variant's default. */
export const DEFAULT_HELPER_DIR = '/usr/lib/qemu';

function dirnameOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}
export const DEFAULT_EMULATOR = '/usr/bin/qemu-system-x86_64';
const DEFAULT_QEMU: Record<Era, string> = { '0.10.2': '1.2.0', '9.0': '7.2.22' };

function diagnosticFrom(xml: string, e: LibvirtError, era: Era): Diagnostic {
  const span = e.span ?? { from: 0, to: Math.min(xml.length, 1) };
  const lc = lineColAt(xml, span.from);
  return { severity: 'error', message: e.format(era), line: lc.line, column: lc.column, from: span.from, to: span.to };
}

function failure(xml: string, e: unknown, era: Era, notes: Note[], diagnostics: Diagnostic[]): PlanResult {
  if (!(e instanceof LibvirtError)) {
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, error: { message }, diagnostics, notes };
  }
  const d = diagnosticFrom(xml, e, era);
  const error: { message: string; line?: number; column?: number } = { message: d.message };
  if (e.span) { error.line = d.line; error.column = d.column; }
  return { ok: false, error, diagnostics: [...diagnostics, d], notes };
}

/** Warnings about inputs libvirt accepts but that will bite later (not libvirt errors). */
function advisoryDiagnostics(xml: string, dom: DomainDef, era: Era): Diagnostic[] {
  const out: Diagnostic[] = [];
  const warn = (msg: string, span: { from: number; to: number }, severity: Diagnostic['severity'] = 'warning') => {
    const lc = lineColAt(xml, span.from);
    out.push({ severity, message: msg, line: lc.line, column: lc.column, from: span.from, to: span.to });
  };
  const tags = new Map<string, number>();
  for (const fs of dom.filesystems) {
    if (fs.src !== undefined && !fs.src.startsWith('/') && fs.spans.src) {
      warn('libvirt passes a relative source directory unchanged (no check that it is absolute)', fs.spans.src, 'info');
    }
    if (fs.dst !== undefined && fs.spans.dst) {
      const bytes = utf8Length(fs.dst);
      if (bytes > 31) warn(`QEMU refuses mount tags longer than 31 bytes (this one has ${bytes})`, fs.spans.dst);
      if (tags.has(fs.dst)) warn(`mount tag '${fs.dst}' is already used by filesystem ${tags.get(fs.dst)}; libvirt does not reject duplicates`, fs.spans.dst);
      else tags.set(fs.dst, fs.index);
    }
    if (era === '0.10.2' && fs.src?.includes(',') && fs.spans.src) {
      warn('libvirt 0.10.2 does not escape commas: this path splits the -fsdev option string', fs.spans.src);
    }
  }
  return out;
}

export function planLaunch(xml: string, opts: PlanOptions): PlanResult {
  const era: Era = opts.era;
  const variant: Variant = opts.variant ?? 'as-posted';
  const notes: Note[] = [];
  let diagnostics: Diagnostic[] = [];
  let dom: DomainDef;
  try {
    dom = parseDomainXml(xml, era);
  } catch (e) {
    if (era === '9.0' && e instanceof LibvirtError && /'type' in element 'driver': 'proxy'/.test(e.detail)) notes.push(NOTES.neverMerged());
    return failure(xml, e, era, notes, diagnostics);
  }
  diagnostics = advisoryDiagnostics(xml, dom, era);
  if (dom.ignored.length) notes.push(NOTES.ignored(dom.ignored));
  const emulator = opts.emulator ?? dom.emulator ?? DEFAULT_EMULATOR;
  if (!opts.emulator && !dom.emulator) notes.push(NOTES.emulatorDefault(emulator));
  const host = opts.host ?? (era === '9.0' ? 'domxml-to-native' : 'libvirtd');

  let caps: ResolvedCaps;
  try {
    if (era === '0.10.2') {
      caps = resolveLegacyCaps({
        qemuHelp: opts.qemuHelp, qemuVersion: opts.qemuVersion, release: opts.legacyRelease ?? '0.10.2',
        arch: dom.arch, xml2argvTest: host === 'xml2argv-test', proxyFromQmp: variant === 'corrected',
      });
      if (caps.unwrappedTranscript) notes.push(NOTES.transcript());
      if (caps.helpIgnoredForQmp) notes.push(NOTES.helpIgnored());
    } else {
      let v = opts.qemuVersion ?? DEFAULT_QEMU['9.0'];
      if (opts.qemuHelp !== undefined) {
        // libvirt 9.0 probes over QMP; the help banner only tells us which QEMU it is.
        const h = unwrapHelpTranscript(opts.qemuHelp);
        v = versionString(parseHelpVersion(h).version);
      }
      caps = resolveModernCaps(v);
    }
  } catch (e) {
    return failure(xml, e, era, notes, diagnostics);
  }
  const qv = modelVersion(caps.qemuVersion);

  let env: string[];
  let qemuWords: string[];
  let origins: WordOrigin[];
  let helpers: string[][] = [];
  let socketpairs: SocketPair[] = [];
  let peer: 'helper' | 'none' = 'none';
  if (era === '0.10.2') {
    const release: LegacyRelease = opts.legacyRelease ?? '0.10.2';
    // The corrected variant's configured directory defaults to where that QEMU's build installs the
    // helper (legacy-proxy.ts defaultHelperLocation: next to the emulator before the meson build of
    // 5.2, Debian's /usr/lib/qemu after), so "corrected" launches a helper that exists on any version.
    const helperDir = opts.helperDir ?? dirnameOf(defaultHelperLocation(qv, emulator));
    const hasProxy = dom.filesystems.some((f) => f.fsdriver === 'proxy');
    try {
      const out = buildLegacyCommandLine({
        dom, caps: caps.flags, variant, release, host: host === 'xml2argv-test' ? 'xml2argv-test' : 'libvirtd',
        emulator, helperDir, firstFreeFd: opts.firstFreeFd ?? 24, qemuMajorMinor: qv,
      });
      env = out.env;
      qemuWords = out.qemu.words;
      origins = [...out.qemu.origins];
      helpers = out.helpers.map((h) => h.argv.words);
      socketpairs = out.socketpairs;
      let hi = 0;
      for (const h of out.helpers) {
        // Each helper is its own argv; origins index the first one as 'helper' (the contract's
        // `helper` field), the others are listed in `helpers` only.
        if (hi++ === 0) origins.push(...h.argv.origins);
      }
      if (hasProxy) {
        const installed = opts.helperInstalledAt ?? defaultHelperLocation(qv, emulator);
        const path = out.helpers[0]?.path;
        peer = path && path === installed ? 'helper' : 'none';
        if (variant === 'as-posted') {
          notes.push(NOTES.deadCapCheck(caps.flags.has('fsdev-proxy')));
          if (path) notes.push(NOTES.helperPath(path, installed));
          if (peer === 'none') notes.push(NOTES.helperFailureInvisible());
          notes.push(NOTES.doubleDaemonize(), NOTES.helperAtBuild());
          notes.push(NOTES.pathKept(qv.features.perDriverOptionValidation));
          notes.push(NOTES.enumTable(), NOTES.helpTest());
        } else {
          notes.push(NOTES.correctedCapCheck(), NOTES.correctedNoPath(), NOTES.correctedHelperDir(helperDir), NOTES.correctedForeground());
          if (!qv.features.proxyExportFlagsEffective) notes.push(NOTES.correctedFlagsRefused());
        }
        if (release !== '0.10.2' && caps.versionNumber >= 1002000) {
          notes.push(variant === 'as-posted' ? NOTES.qmpNoProxyCap() : NOTES.correctedQmpProxy());
        }
        if (variant === 'as-posted' && !qv.features.proxyExportFlagsEffective
          && dom.filesystems.some((f) => f.fsdriver === 'proxy' && (f.readonly || f.wrpolicy !== 'default'))) {
          notes.push(NOTES.proxyFlagsNoop());
        }
        notes.push(NOTES.fdNumbers(opts.firstFreeFd ?? 24));
      }
      notes.push(NOTES.wholeLine2012());
      if (dom.filesystems.some((f) => f.src?.includes(',') || f.dst?.includes(','))) notes.push(NOTES.commaRaw());
    } catch (e) {
      if (e instanceof LegacyBuildError) {
        if (variant === 'as-posted' && hasProxy) {
          notes.push(NOTES.deadCapCheck(caps.flags.has('fsdev-proxy')));
          if (e.partial.helpers.length) {
            notes.push({
              id: 'patch-helper-leak', kind: 'finding', source: 'seed patch qemuBuildCommandLine (inferred)',
              text: `The helper for ${e.partial.helpers.map((h) => h.alias).join(', ')} was already started when building the command line failed; nothing stops it.`,
            });
          }
        }
        return failure(xml, e.error, era, notes, diagnostics);
      }
      return failure(xml, e, era, notes, diagnostics);
    }
  } else {
    if (variant === 'corrected') notes.push({ id: 'variant-ignored', kind: 'info', source: 'docs/libvirt.md §6', text: 'The patch variant does not apply to libvirt 9.0, which has no proxy driver.' });
    try {
      const out = buildModernCommandLine({ dom, caps: caps.flags, qemu: qv, emulator, host, embedRoot: opts.embedRoot, firstFreeFd: opts.firstFreeFd });
      env = out.env;
      qemuWords = out.qemu.words;
      origins = out.qemu.origins;
    } catch (e) {
      return failure(xml, e, era, notes, diagnostics);
    }
    if (dom.filesystems.some((f) => f.src?.includes(','))) notes.push(NOTES.commaDoubled());
    if (host === 'libvirtd') {
      notes.push({ id: 'monitor-fd', kind: 'info', source: 'fixtures/libvirt-xml2argv/v9.0.0 (fd=1729)', text: 'A running libvirtd opens the monitor socket itself and passes it as fd=N; the number is libvirtd\'s, shown here as the test suite\'s placeholder 1729.' });
    }
    if (dom.filesystems.some((f) => f.fsdriver === 'virtiofs' && f.sock === undefined)) notes.push(NOTES.virtiofsd());
  }
  if (dom.filesystems.some((f) => f.fsdriver === 'handle') && !qv.features.handleDriver) notes.push(NOTES.handleGone());

  const verdict = qemuVerdict(qemuWords.slice(1), caps.qemuVersion, peer, notes);
  return {
    ok: true, era, variant, qemuVersion: caps.qemuVersion, caps: sortCaps(caps.flags), socketpairs,
    helper: helpers[0] ?? null, helpers, qemu: qemuWords, env, verdict, notes, origins, diagnostics,
  };
}

export { formatVirError };
