import type { Locale } from './i18n';

/** Dates and money as the reader's language writes them; money is kept in fen and shown in yuan. */
export const formatMoment = (locale: Locale, iso: string | null | undefined) =>
  iso ? new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)) : '—';

/** A session's time: from its start to its end. */
export const formatSpan = (locale: Locale, from: string, to: string) => `${formatMoment(locale, from)} – ${formatMoment(locale, to)}`;

export const formatDay = (locale: Locale, day: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));

export const formatYuan = (locale: Locale, fen: number) => new Intl.NumberFormat(locale, { style: 'currency', currency: 'CNY' }).format(fen / 100);

/** "in 3 hours", "2 days ago". */
export function formatRelative(locale: Locale, iso: string, now = Date.now()): string {
  const minutes = Math.round((Date.parse(iso) - now) / 60_000);
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  if (Math.abs(minutes) < 60) return rtf.format(minutes, 'minute');
  if (Math.abs(minutes) < 48 * 60) return rtf.format(Math.round(minutes / 60), 'hour');
  return rtf.format(Math.round(minutes / 1440), 'day');
}

const MOMENT = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})/g;

/**
 * A task's title in the reader's language. Workflows write titles as "中文 English: subject" (and
 * their recorded histories replay as written), so the reader gets their half, with the subject
 * (`subject`, the flow's, when the title names none), and any moment in it in their locale and time zone.
 */
export function taskTitle(locale: Locale, title: string, subject?: string): string {
  const halves = /^([\u3000-\u9fff\uff00-\uffef][^A-Za-z]*?)\s+([A-Za-z].*)$/s.exec(title);
  let shown = title;
  if (halves) {
    const [, zh, en] = halves as unknown as [string, string, string];
    const colon = en.indexOf(': ');
    const about = colon >= 0 ? en.slice(colon + 2) : subject;
    shown = locale === 'en' ? en : about ? `${zh}：${about}` : zh;
  }
  return shown.replace(MOMENT, (iso) => formatMoment(locale, iso));
}
