// Findings of set-valued cases are written `<domain>:<item>` (`security:sql-injection`).

/** The domain of a finding: the part before `:` (the whole finding when it has none). Pure. */
export function findingDomain(finding: string): string {
  const colon = finding.indexOf(':');
  return colon < 0 ? finding : finding.slice(0, colon);
}
