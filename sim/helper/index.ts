// sim/helper: virtfs-proxy-helper as a process on the simulated kernel, plus the conformance replay.
export { VirtfsProxyHelper, GETVERSION_MAGICS, type HelperConfig, type HelperExit, type HelperRequestEvent } from './helper.ts';
export { launchHelper, HELPER_COMM, type LaunchOptions, type LaunchedHelper } from './launch.ts';
export { helperBehaviour, type HelperBehaviour } from './behaviour.ts';
export { parseHelperArgv, HELPER_OPTSTRING, HELPER_LONGOPTS, type HelperOptions, type ArgvResult } from './argv.ts';
export { getoptLong, atoi, gnuBasename, type LongOption, type GetoptEvent } from './getopt.ts';
export { usageText, MSG, perrorLine, syslogLine, glibAllocFailure } from './messages.ts';
export { CredSwitch, HelperAbort, HELPER_CAP_LIST, HELPER_CAP_MASK } from './creds.ts';
export { KernelHelperOs, type KernelHelperOsOptions } from './kernel-os.ts';
export type { HelperOs, ThreadRef } from './os.ts';
export { replaySuite, sessionHost, type ReplayOptions, type ReplayReport, type StepOutcome } from './conformance/replay.ts';
export { compareStep, toHex, fromHex, type ActualStep, type CompareOptions, type StepVerdict } from './conformance/compare.ts';
export { validateSuite, SuiteFormatError, type Suite, type Session, type Step, type Mask } from './conformance/suite.ts';
export { QUIRK_SOURCES, type HelperQuirk, type HelperQuirkKind } from './quirks.ts';
