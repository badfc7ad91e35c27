/**
 * One ask-race client process (scenario 7): asks `count` trials of a study and tells each at once, then
 * prints one JSON line `{ numbers, statuses }`. Run as `node --import tsx ask-loop.ts URL TOKEN STUDY COUNT`.
 */
const [baseUrl, token, studyId, countText] = process.argv.slice(2);
if (!baseUrl || !token || !studyId || !countText) throw new Error("usage: ask-loop URL TOKEN STUDY COUNT");
const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
const numbers: number[] = [];
const statuses: Record<string, number> = {};
for (let i = 0; i < Number(countText); i++) {
  const asked = await fetch(`${baseUrl}/v1/studies/${studyId}/ask`, { method: "POST", headers, body: "{}" });
  statuses[asked.status] = (statuses[asked.status] ?? 0) + 1;
  if (!asked.ok) continue;
  const trial = (await asked.json()) as { id: string; number: number; leaseToken: string };
  numbers.push(trial.number);
  const told = await fetch(`${baseUrl}/v1/trials/${trial.id}/tell`, {
    method: "POST",
    headers,
    body: JSON.stringify({ leaseToken: trial.leaseToken, state: "complete", value: i }),
  });
  statuses[`tell ${told.status}`] = (statuses[`tell ${told.status}`] ?? 0) + 1;
}
process.stdout.write(`${JSON.stringify({ numbers, statuses })}\n`);
