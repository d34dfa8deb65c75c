// The hall's queue screen, for a TV: ticket numbers called (with their desk) and waiting, in large
// high-contrast type. No names, ever: the hall is public. It refreshes itself every 10 seconds with a
// meta refresh, so it needs no JavaScript and no sign-in. The refresh is the point of a wall display
// (WCAG 2.2.1's real-time exception), and a link still turns it off for anyone who needs the page to
// keep still (2.2.1's "turn off").
import { pick } from '../../platform/i18n/i18n.ts';
import type { PageContext } from '../../platform/ui/context.ts';
import type { queueBoard } from './reception.service.ts';

export const QUEUE_REFRESH_SECONDS = 10;

export function QueueScreen({
  ctx,
  board,
  time,
  refresh,
}: {
  ctx: PageContext;
  board: Awaited<ReturnType<typeof queueBoard>>;
  time: string;
  refresh: boolean;
}) {
  const { t, locale } = ctx;
  const office = pick(locale, board.office.name_ru, board.office.name_en);
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {refresh && <meta http-equiv="refresh" content={String(QUEUE_REFRESH_SECONDS)} />}
        <title>{`${t('reception.queue.title')} — ${office}`}</title>
        <link rel="stylesheet" href="/assets/opora.css" />
      </head>
      <body class="queue-screen">
        <main id="main" class="queue-screen__main">
          <header class="queue-screen__header">
            <h1>{t('reception.queue.title')}</h1>
            <p class="queue-screen__office">
              {office} · <span>{time}</span>
            </p>
          </header>
          <div class="queue-screen__columns">
            <section aria-labelledby="called">
              <h2 id="called">{t('reception.queue.called')}</h2>
              {board.called.length === 0 ? (
                <p class="queue-screen__empty">{t('reception.queue.nobodyCalled')}</p>
              ) : (
                <table class="queue-screen__table">
                  <thead>
                    <tr>
                      <th scope="col">{t('reception.field.ticket')}</th>
                      <th scope="col">{t('reception.queue.desk')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {board.called.map((c) => (
                      <tr key={c.ticket}>
                        <td class="queue-screen__ticket">{c.ticket}</td>
                        <td>{c.desk}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
            <section aria-labelledby="waiting">
              <h2 id="waiting">{t('reception.queue.waiting')}</h2>
              {board.waiting.length === 0 ? (
                <p class="queue-screen__empty">{t('reception.queue.nobodyWaiting')}</p>
              ) : (
                <ol class="queue-screen__waiting">
                  {board.waiting.map((w) => (
                    <li key={w.ticket}>{w.ticket}</li>
                  ))}
                </ol>
              )}
            </section>
          </div>
          <p class="queue-screen__control">
            {refresh ? (
              <a href="?refresh=off">{t('reception.queue.stop')}</a>
            ) : (
              <a href="?">{t('reception.queue.start')}</a>
            )}
          </p>
        </main>
      </body>
    </html>
  );
}
