// The least a Node program can do toward release notes since the last release: ask git for the last
// release tag and for the messages since it, and print them, parsing and rendering nothing. bench-peers
// times it against git-cliff to show where Node's own start-up and two git processes already land.
import { execFileSync } from 'node:child_process';

const tag = execFileSync('git', ['describe', '--tags', '--abbrev=0', '--match', 'v[0-9]*'], { encoding: 'utf8' }).trim();
process.stdout.write(execFileSync('git', ['log', '--format=%H%x1f%B%x1e', `${tag}..HEAD`], { encoding: 'utf8' }));
