/** A CLI subcommand: receives the words after its name, returns the exit status. */
export type Command = (args: string[]) => Promise<number>;
