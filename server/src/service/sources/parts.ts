/**
 * An app unit that reads another file's settings (a compose service's env_file, the Java agent's
 * properties file, the declarative config OTEL_CONFIG_FILE names) holds that file's text after its own,
 * and copies of its settings shifted there, each with an `origin` (see AppUnit.parts). Problems inside a
 * part are that file's: the language service reports them when it checks that file.
 */
import type { Problem } from '../languageTypes';
import type { AppSetting } from '../model/appSettings';
import { dispatchEdits } from '../model/processSettings';
import type { AppEdits, AppUnit } from '../model/units';

export interface PartInput {
  path: string;
  /** The other file's whole text (its settings' offsets are into it). */
  text: string;
  settings: AppSetting[];
  role: string;
  problems?: Problem[];
}

/** Edits never applied: a fix edits the file a setting is written in, through that file's own unit. */
const noEdits: AppEdits = {
  rename: (s) => ({ offset: s.nameOffset, length: 0, text: '' }),
  setValue: (s) => ({ offset: s.valueOffset, length: 0, text: '' }),
  remove: (s) => ({ offset: s.valueOffset, length: 0, text: '' }),
  add: (s) => ({ offset: s.valueOffset, length: 0, text: '' }),
};

/**
 * `unit` with the other file appended: its settings go `below` the unit's own (lower precedence, a
 * compose env_file under `environment`) or `above` them. Settle the result again (../model/processSettings.ts).
 */
export function appendPart(unit: AppUnit, part: PartInput, where: 'below' | 'above'): AppUnit {
  const offset = unit.text.length + 1;
  const copies = part.settings.map((s) => ({ ...s, nameOffset: s.nameOffset + offset, valueOffset: s.valueOffset + offset, origin: { path: part.path } }));
  const owners = new Map(copies.map((c) => [c, noEdits] as const));
  const problems = (part.problems ?? []).map((p) => ({ ...p, offset: p.offset + offset }));
  return {
    ...unit,
    text: `${unit.text}\n${part.text}`,
    settings: where === 'below' ? [...copies, ...unit.settings] : [...unit.settings, ...copies],
    edits: dispatchEdits(unit.edits, owners),
    parts: [...(unit.parts ?? []), { path: part.path, offset, length: part.text.length, role: part.role }],
    ...(problems.length || unit.problems ? { problems: [...(unit.problems ?? []), ...problems] } : {}),
  };
}
