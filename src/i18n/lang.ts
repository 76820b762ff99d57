// Which language the human renderings (console, Markdown, HTML, JUnit messages, the Action's
// summary) and the CLI's own errors are written in. The JSON report is language-neutral: it keeps
// every message id and its data (src/i18n/text.ts), so `report --from x.json --lang de` re-renders
// any run in any language. Dependency-free: the bootstrap sets the language before anything else.

/** Languages with catalogs. English is the checks' own text (their definitions are the English catalog). */
export const LANGUAGES = ['en', 'de', 'zh-CN'] as const;
/** The pseudo-locale: English accented and lengthened at run time, to show any text that bypasses the catalogs. */
export const PSEUDO_LANG = 'en-XA';
export type CatalogLang = (typeof LANGUAGES)[number];
export type Lang = CatalogLang | typeof PSEUDO_LANG;
export const LANG_CHOICES: readonly Lang[] = [...LANGUAGES, PSEUDO_LANG];

/** A --lang value or a locale name (de_DE.UTF-8, zh_CN, zh-Hans, de-AT, C) → a supported language, or undefined for an unsupported one. */
export function langOf(value: string | undefined): Lang | undefined {
  if (!value) return undefined;
  const exact = LANG_CHOICES.find((l) => l.toLowerCase() === value.toLowerCase());
  if (exact) return exact;
  // POSIX locale names: language[_territory][.codeset][@modifier].
  const [language, territory = ''] = value.split(/[.@]/)[0].toLowerCase().split(/[_-]/);
  if (language === 'de') return 'de';
  // Simplified Chinese: zh_CN, zh_SG, zh-Hans; Traditional (zh_TW, zh_HK, zh-Hant) has no catalog.
  if (language === 'zh' && ['', 'cn', 'sg', 'hans', 'my'].includes(territory)) return 'zh-CN';
  if (language === 'en' || language === 'c' || language === 'posix') return 'en';
  return undefined;
}

/**
 * The language the environment asks for, by POSIX precedence: the first of LC_ALL, LC_MESSAGES and
 * LANG that is set decides (LC_ALL=C means English even when LANG=de_DE.UTF-8); an unsupported
 * language, or none, is English.
 */
export function langFromEnv(env: NodeJS.ProcessEnv = process.env): Lang {
  const value = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((v) => v !== undefined && v !== '');
  return langOf(value) ?? 'en';
}

/** `--lang X` / `--lang=X` on the raw command line, before yargs runs (its own errors come first). */
export function langFromArgv(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--') break;
    if (argv[i] === '--lang') return argv[i + 1];
    if (argv[i].startsWith('--lang=')) return argv[i].slice('--lang='.length);
  }
  return undefined;
}

let current: Lang = 'en';

/** The process's language (the CLI sets it once from --lang or the environment). */
export const currentLang = (): Lang => current;
export function setLang(lang: Lang): void {
  current = lang;
}
