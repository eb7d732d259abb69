// The libvirt layer: domain XML → filesystem definitions → capabilities → launch plan, for
// libvirt 0.10.2/1.0 with the proxy patch v3 (as posted or corrected) and for libvirt 9.0.

export type { Era, LegacyRelease, Variant } from './era.ts';
export type { PlanOptions, Note, Diagnostic, WordOrigin, SocketPair, PlanResult, Verdict } from './types.ts';
export type { FsDef, FsType, FsDriverType, FsAccessMode, FsWrpolicy, FsModel, FsMultidevs, PciAddress, FsSpans } from './conf/fsdef.ts';
export type { DomainDef, DiskDef, NetDef } from './conf/domain.ts';
export type { CapName } from './caps/names.ts';
export type { HelpCaps } from './caps/help.ts';
export type { ResolvedCaps } from './caps/model.ts';
export { LibvirtError, formatVirError, type VirErrorCode } from './errors.ts';
export { planLaunch, DEFAULT_HELPER_DIR, DEFAULT_EMULATOR } from './plan.ts';
export { parseDomainXml } from './conf/domain.ts';
export { capsFromHelp, parseHelpVersion, computeHelpFlags, unwrapHelpTranscript, isHelpTranscript } from './caps/help.ts';
export { resolveLegacyCaps, resolveModernCaps, helpFlagsForVersion } from './caps/model.ts';
export { shellQuote, formatCommandLine } from './shell.ts';
export { DEFAULT_DOMAIN_XML } from './default-domain.ts';

import { parseDomainXml } from './conf/domain.ts';
import type { FsDef } from './conf/fsdef.ts';
import type { Era } from './era.ts';

/** The `<filesystem>` definitions of a domain in document order (the first is "the mount"). */
export function parseFilesystems(xml: string, era: Era): FsDef[] {
  return parseDomainXml(xml, era).filesystems;
}
