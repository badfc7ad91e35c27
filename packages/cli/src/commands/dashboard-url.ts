/**
 * The dashboard's address with the key in the URL fragment (`#key=`): a fragment never reaches a server
 * or its logs, and the dashboard reads and then removes it. With a study id, the study's own page.
 */
export function dashboardUrl(apiUrl: string, token: string, studyId?: string): string {
  const path = studyId === undefined ? "/" : `/studies/${encodeURIComponent(studyId)}`;
  return `${apiUrl}${path}#${new URLSearchParams({ key: token }).toString()}`;
}
