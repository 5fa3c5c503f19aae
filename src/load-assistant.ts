/**
 * @module Loads everything the assistant's brain needs from disk (texts, catalog, phrasebook, flows), checks
 * it all, and builds the engine. The server, the CLI and the tests start here; when anything is
 * wrong the problems come back (file:line each) and no engine is built.
 */
import type { Engine } from './engine/engine-types.js';
import type { FlowSet, Texts } from './engine/flow-types.js';
import { createEngine } from './engine/create-engine.js';
import { createEngineServices, SERVICE_NAMES } from './catalog/engine-services.js';
import { createFinder } from './catalog/finder.js';
import { loadCatalog, type Catalog } from './catalog/load-catalog.js';
import { loadPhrasebook, type Phrasebook } from './catalog/load-phrasebook.js';
import type { Finder, Unit } from './catalog/types.js';
import { displayUnit } from './catalog/unit-display.js';
import { createUnitServices, UNIT_SERVICE_NAMES } from './catalog/unit-services.js';
import { loadFlows } from './flow/load-flows.js';
import { loadTexts } from './flow/load-texts.js';
import { loadTranslations, type MissingText } from './flow/load-translations.js';
import type { Problem } from './flow/yaml-source.js';

export interface Assistant {
  engine: Engine;
  catalog: Catalog;
  finder: Finder;
  texts: Texts;
  /** Other languages' texts by code ("en"), from content/texts.<lang>.yaml. */
  translations: Map<string, Texts>;
  /** Keys of texts.yaml a language lacks: shown in Vietnamese with a note; `flows check` lists them. */
  missingTexts: MissingText[];
  flowSet: FlowSet;
  phrasebook: Phrasebook;
  /** The unit as citizens read it: sample values marked (catalog.unit keeps the plain values). */
  citizenUnit: Catalog['unit'];
}

/** The language of content/texts.yaml and of the catalog's own fields. */
export const DEFAULT_LANGUAGE = 'vi';

export interface LoadAssistantOptions {
  flowsDir: string;
  contentDir: string;
  /** Shown to citizens in the greeting: how long an idle conversation is kept. */
  sessionTtlSeconds: number;
  /**
   * Whether a staff desk runs (keeps reports, reads tickets). Flows read it as `desk.available`,
   * e.g. to say how to report by phone before asking for a description nobody would keep.
   */
  desk?: boolean;
  today?: Date | string;
  /** Where the online guide's portal link points (engine-services.ts `portalLink`); direct when absent. */
  portalLink?: (entryId: string, caseId?: string) => string;
}

export function loadAssistant(options: LoadAssistantOptions): { assistant?: Assistant; problems: Problem[] } {
  const { texts, lines, problems } = loadTexts(options.contentDir);
  const { translations, problems: translationProblems, missing: missingTexts } = loadTranslations(options.contentDir, texts, lines);
  problems.push(...translationProblems);
  const { catalog, problems: catalogProblems } = loadCatalog(options.contentDir, options.today ? { today: options.today } : {});
  problems.push(...catalogProblems);
  const { phrasebook, problems: phrasebookProblems } = loadPhrasebook(options.contentDir, catalog);
  problems.push(...phrasebookProblems);
  // A content folder with no other language (a ward that ships none) leaves the flows' language
  // steps inert; with one, a step naming a language it lacks is a typo.
  const { flowSet, problems: flowProblems } = loadFlows({
    flowsDir: options.flowsDir,
    texts,
    services: [...SERVICE_NAMES, ...UNIT_SERVICE_NAMES],
    ...(translations.size > 0 ? { languages: [DEFAULT_LANGUAGE, ...translations.keys()] } : {}),
  });
  problems.push(...flowProblems);
  if (!catalog || !flowSet || problems.length > 0) return { problems };

  const finder = createFinder(catalog);
  // Its question models and English index are built now, not on a citizen's first message (a
  // second or two of training that would hold up that message and every one behind it).
  finder.prepare?.();
  // Citizens read the unit with its sample values marked; office hours and the staff side keep
  // the plain values (catalog.unit).
  const unit = displayUnit(catalog.unit, texts);
  // Each other language reads the unit with its own names and hours (unit.yaml `en:`), marked in
  // that language while they are sample data; what it does not give stays as written.
  const units: Record<string, Unit> = {};
  for (const [lang, own] of translations) {
    const english = lang === 'en' ? catalog.unit.en : undefined;
    units[lang] = displayUnit({ ...catalog.unit, ...english, office_hours: english?.office_hours ?? catalog.unit.office_hours }, { get: (key: string) => own.get(key) ?? texts.get(key) } as Texts);
  }
  const engine = createEngine({
    flows: flowSet,
    texts,
    globals: {
      unit: unit as unknown as Record<string, never>,
      retention_days: Math.max(1, Math.round(options.sessionTtlSeconds / 86_400)),
      desk: { available: options.desk === true },
    },
    defaultLanguage: DEFAULT_LANGUAGE,
    translations: Object.fromEntries([...translations].map(([lang, own]) => [lang, { texts: own, globals: { unit: units[lang] as unknown as Record<string, never> } }])),
    services: {
      ...createEngineServices({ catalog: { ...catalog, unit }, finder, texts, phrasebook, translations, units, ...(options.portalLink ? { portalLink: options.portalLink } : {}) }),
      ...createUnitServices({ unit, finder }),
    },
  });
  return { assistant: { engine, catalog, finder, texts, translations, missingTexts, flowSet, phrasebook, citizenUnit: unit }, problems };
}
