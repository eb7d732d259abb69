// sim/scenario: the scenario file (format 1), validation, the tree loader, the scheduler and runner.
export type * from './types.ts';
export { ScenarioError, formatIssue, pointer, type ScenarioIssue } from './errors.ts';
export { parseScenario, validateScenario, parseJsonLocated, jsonErrorAt, lineCol, makedev, majorOf, minorOf, rdevOf, firstFilesystemSource, firstFilesystemTarget } from './validate.ts';
export { loadTree, TreeBuildError } from './tree.ts';
export { classifyLine, type ScriptLine, type ActorName } from './script.ts';
export { Scheduler, type Actor, type LineResult, type StepEvent } from './scheduler.ts';
export { ScenarioRun, runScenario, exploreRace, applyCell, withDriver, checkCell, checkResult, checkHost, type RunOutcome, type RunOptions, type LaunchInfo } from './run.ts';
