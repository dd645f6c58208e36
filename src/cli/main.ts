import { Command, CommanderError, Option } from 'commander';
import { evalCommand, explainCommand } from './evaluate-command.js';
import { EXIT } from './exit-codes.js';
import { lintCommand } from './lint-command.js';
import { guarded, processOutput, type Output } from './output.js';

/** Builds the CLI. Each verb's work lives in its own module; this file only wires flags to it. */
export function buildProgram(output: Output, setExitCode: (code: number) => void): Command {
  const program = new Command('quantum-trader')
    .description('Policy-as-configuration engine for autonomous crypto-futures trading.')
    .option('--debug', 'print stack traces for errors')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => output.out(s), writeErr: (s) => output.err(s) });

  const debug = () => Boolean(program.opts().debug);
  const run = (body: () => Promise<number>) => guarded(output, debug(), body).then(setExitCode);
  const format = () => new Option('--format <format>', 'output format').choices(['pretty', 'json']).default('pretty');
  const ruleSetOptions = (command: Command) =>
    command
      .option('--rules <dir>', 'rules folder (default: ./rules, else the bundled rules)')
      .option('--profiles <dir>', 'profiles folder (default: ./profiles, else the bundled profiles)');

  ruleSetOptions(
    program
      .command('lint')
      .description('validate rule and profile files against the schemas and semantic checks')
      .argument('[paths...]', 'files or folders to check (default: the rules and profiles folders)')
      .addOption(format()),
  ).action((paths: string[], opts) => run(() => lintCommand({ paths, format: opts.format, rules: opts.rules, profiles: opts.profiles }, output)));

  const stateCommand = (name: string, description: string) =>
    ruleSetOptions(
      program
        .command(name)
        .description(description)
        .requiredOption('--state <file>', 'market state as JSON (or YAML); - reads standard input')
        .option('--profile <name>', 'risk profile, case-insensitive (default: the rule set\'s default_profile)'),
    );

  stateCommand('eval', 'print the TradingPolicy for a market state as one JSON object').action((opts) =>
    run(() => evalCommand({ state: opts.state, profile: opts.profile, rules: opts.rules, profiles: opts.profiles }, output)),
  );

  stateCommand('explain', 'show which rules fired, which did not and why, and which rule decided each field')
    .addOption(format())
    .action((opts) =>
      run(() => explainCommand({ state: opts.state, profile: opts.profile, rules: opts.rules, profiles: opts.profiles, format: opts.format }, output)),
    );

  return program;
}

export async function main(argv: readonly string[], output: Output = processOutput): Promise<number> {
  let code: number = EXIT.OK;
  const program = buildProgram(output, (c) => {
    code = c;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return error.exitCode === 0 ? EXIT.OK : EXIT.INPUT;
    }
    throw error;
  }
  return code;
}
