/*
 * The reports CI would have left in the working tree for the demo's candidates, under each component's
 * own reports/ directory (the built-in checklist's paths match relative to the component). Pure.
 */

function junit(suite: string, cases: readonly { name: string; failure?: string }[]): string {
  const failures = cases.filter((c) => c.failure !== undefined).length;
  const body = cases.map((c) => (c.failure === undefined ? `    <testcase classname="${suite}" name="${c.name}" time="0.012"/>` : `    <testcase classname="${suite}" name="${c.name}" time="0.020">\n      <failure message="${c.failure}">${c.failure}</failure>\n    </testcase>`));
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${suite}" tests="${cases.length}" failures="${failures}" errors="0">\n  <testsuite name="${suite}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0">\n${body.join('\n')}\n  </testsuite>\n</testsuites>\n`;
}

const CLEAN_SARIF = `${JSON.stringify({ version: '2.1.0', $schema: 'https://json.schemastore.org/sarif-2.1.0.json', runs: [{ tool: { driver: { name: 'semgrep', rules: [] } }, results: [] }] }, null, 2)}\n`;

function passing(component: string): Record<string, string> {
  return {
    'reports/junit/unit.xml': junit(`${component} unit`, [{ name: 'creates a record' }, { name: 'rejects bad input' }, { name: 'keeps tenants apart' }]),
    'reports/contract/api.xml': junit(`${component} contract`, [{ name: 'GET /v1 answers the published schema' }]),
    'reports/performance/load.xml': junit(`${component} performance`, [{ name: 'p95 under 200 ms at 500 rps' }]),
    'reports/security/semgrep.sarif': CLEAN_SARIF,
    'reports/smoke/staging.xml': junit(`${component} smoke`, [{ name: 'health answers' }, { name: 'sign-in works' }]),
  };
}

/** Report files by path in the repository: passing for identity, inventory and customer, failing tests for billing. */
export function demoReports(): Record<string, string> {
  const files: Record<string, string> = {};
  const put = (dir: string, reports: Record<string, string>) => {
    for (const [file, text] of Object.entries(reports)) files[`${dir}/${file}`] = text;
  };
  put('platform/identity', passing('identity'));
  put('modules/inventory', passing('inventory'));
  put('modules/customer', passing('customer'));
  put('modules/billing', {
    ...passing('billing'),
    'reports/junit/unit.xml': junit('billing unit', [
      { name: 'prorates a mid-month upgrade' },
      { name: 'prorates a downgrade to the day', failure: 'expected 12.90 but got 12.89' },
      { name: 'escapes markup in PDF titles' },
    ]),
  });
  delete files['modules/billing/reports/contract/api.xml'];
  return files;
}
