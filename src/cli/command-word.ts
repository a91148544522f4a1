/**
 * The command a CLI run names: the first word that is not a global option or its value (`shipgate -C
 * dir --policy p.yaml notes app` → notes). bin/shipgate.js asks it before anything else is loaded.
 */
export function commandWord(argv: readonly string[]): string | undefined {
  let index = 0;
  while (index < argv.length) {
    const arg = argv[index] as string;
    if (arg === '--policy' || arg === '-C' || arg === '--cwd' || arg === '--server') index += 2;
    else if (arg.startsWith('-')) index += 1;
    else return arg;
  }
  return undefined;
}
