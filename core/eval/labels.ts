/** Attack labels: one eventID per line (blank lines and # comments ignored), or a JSON list of eventIDs. */
export class LabelsError extends Error {}

export function parseLabels(text: string, source = "labels"): Set<string> {
  const trimmed = text.trim();
  if (trimmed.startsWith("[")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (error) {
      throw new LabelsError(`${source}: not valid JSON (${(error as Error).message})`);
    }
    if (!Array.isArray(parsed) || parsed.some((id) => typeof id !== "string")) {
      throw new LabelsError(`${source}: a JSON label file must be a list of eventID strings`);
    }
    return new Set(parsed as string[]);
  }
  const ids = new Set<string>();
  for (const line of trimmed.split(/\r?\n/)) {
    const id = line.trim();
    if (id && !id.startsWith("#")) ids.add(id);
  }
  return ids;
}
