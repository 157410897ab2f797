import { describe, expect, it } from 'vitest';
import { main } from './cli.js';

function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = main(argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
  return { code, stdout, stderr };
}

describe('firelink-plan command line', () => {
  it('prints the plan for the issue example', () => {
    const { code, stdout, stderr } = run('--devices', '100000', '--sample-ms', '1000', '--heartbeat-ms', '30000');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Firelink capacity plan: 100,000 devices, sampleMs 1000, heartbeatMs 30000/);
    // 3.1 writes/s * 100,000 = 310,000; / 700 usable -> 443 instances, 699.8 each (70.0 %); 310 at 100 %.
    expect(stdout).toMatch(/^writes\/s +310,000 +1,000 +700 +443 +700 +70\.0 %/m);
    expect(stdout).toContain('Instances needed: 443 (binding: writes/s; 310 at 100 % of the limits)');
    expect(stdout).toContain('+ fleet summary 1.0333 +');
    expect(stdout).toContain('1.0333 invocations/s');
    expect(stdout).toMatch(/^Auth \(identity-platform\) +100,000 +MAU +50,000 +50,000 +tiered +\$275\.00$/m);
    expect(stdout).toMatch(/^total +\$[\d,]+\.\d\d$/m);
  });

  it('prints JSON with --json', () => {
    const { code, stdout } = run('--devices', '1000', '--json');
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout) as { plan: { instances: number; input: { sampleMs: number } }; cost: { totalUsd: number } };
    expect(parsed.plan.instances).toBe(5); // 3,100 writes/s / 700 usable = 4.43 -> 5
    expect(parsed.plan.input.sampleMs).toBe(1000);
    expect(parsed.cost.totalUsd).toBeGreaterThan(0);
  });

  it.each([
    [['--sample-ms', '1000'], /required option '--devices <n>' not specified/],
    [['--devices', 'abc'], /option '--devices <n>' argument 'abc' is invalid\. must be a whole number of devices from 1 to 100,000,000 \(got "abc"\)/],
    [['--devices', '2.5'], /must be a whole number of devices/],
    [['--devices', '10', '--sample-ms', '50'], /'--sample-ms <ms>' argument '50' is invalid\. must be a whole number of milliseconds \(the rules accept this sampleMs range\) from 100 to 3,600,000/],
    [['--devices', '10', '--heartbeat-ms', '1000'], /'--heartbeat-ms <ms>' argument '1000' is invalid/],
    [['--devices', '10', '--headroom', '1'], /'--headroom <fraction>' argument '1' is invalid\. must be a number of each limit kept free/],
    [['--devices', '10', '--transport', 'pigeon'], /argument 'pigeon' is invalid\. Allowed choices are rest, rest-state, sdk/],
    [['--devices', '10', '--auth', 'none'], /Allowed choices are identity-platform, firebase/],
    [['--devices', '10', '--devcies', '5'], /unknown option '--devcies'/],
  ])('refuses %j with a message naming the flag', (argv, message) => {
    const { code, stdout, stderr } = run(...argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr).toContain('(add --help for usage)');
  });

  it('prints help and exits 0', () => {
    const { code, stdout } = run('--help');
    expect(code).toBe(0);
    expect(stdout).toContain('--devices <n>');
    expect(stdout).toContain('--transport <kind>');
  });
});
