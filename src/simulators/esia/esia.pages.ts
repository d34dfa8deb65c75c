// The simulator's own pages: a sign-in form in the manner of "Госуслуги — вход" and an error page.
// Plain server-rendered HTML, no script, Russian with English alongside.

const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => escapes[c]!);

const STYLE = `
*{box-sizing:border-box}body{margin:0;font-family:system-ui,Arial,sans-serif;font-size:1.125rem;line-height:1.45;
color:#0b1f33;background:#eef2f7}header{background:#fff;border-bottom:1px solid #c9d3df;padding:12px 20px}
.brand{font-weight:700;font-size:1.25rem;color:#0d4cd3}.brand span{color:#e3241e}
main{max-width:480px;margin:32px auto;background:#fff;border-radius:8px;padding:28px;box-shadow:0 2px 8px #0b1f3322}
h1{font-size:1.6rem;margin:0 0 8px}.en{color:#4a5a6c;font-size:.95rem}
.sim{background:#fff4d6;border-left:6px solid #f2a900;padding:10px 14px;margin:0 0 20px;font-size:1rem}
label{display:block;font-weight:700;margin:18px 0 4px}.hint{color:#4a5a6c;font-size:1rem;margin:0 0 6px}
input{font:inherit;width:100%;padding:10px;border:2px solid #66727f;border-radius:4px;min-height:44px}
input[aria-invalid=true]{border-color:#c8102e}
button{font:inherit;font-weight:700;border:0;border-radius:6px;padding:12px 20px;min-height:44px;cursor:pointer}
.primary{background:#0d4cd3;color:#fff;width:100%;margin-top:24px}.secondary{background:none;color:#0d4cd3;
text-decoration:underline;padding:8px 0;margin-top:8px}
:focus{outline:3px solid #f2a900;outline-offset:2px}
.error{border:3px solid #c8102e;border-radius:6px;padding:12px 16px;margin:0 0 16px;color:#8a0b1f;font-weight:700}
.client{font-size:1rem;color:#4a5a6c;margin:0 0 16px}`;

function shell(title: string, body: string): string {
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
<style>${STYLE}</style></head><body>
<header><div class="brand">гос<span>услуги</span> <span class="en" lang="en">· simulator</span></div></header>
<main>${body}</main></body></html>`;
}

const SIMULATOR_NOTE = `<p class="sim">Это симулятор ЕСИА для разработки и проверки: настоящие учётные записи Госуслуг
здесь не используются. <span lang="en" class="en">This is an ESIA simulator for development and testing;
no real Gosuslugi accounts are used.</span></p>`;

export interface LoginPageProps {
  uid: string;
  clientId: string;
  snils?: string;
  error?: { ru: string; en: string };
}

export function loginPage(p: LoginPageProps): string {
  const uid = encodeURIComponent(p.uid);
  const error = p.error
    ? `<div class="error" role="alert" id="login-error">${escapeHtml(p.error.ru)}
<br><span lang="en">${escapeHtml(p.error.en)}</span></div>`
    : '';
  const invalid = p.error ? ' aria-invalid="true"' : '';
  const errorRef = p.error ? ' login-error' : '';
  return shell(
    'Госуслуги — вход',
    `<h1>Вход <span class="en" lang="en">Sign in</span></h1>
${SIMULATOR_NOTE}
<p class="client">Вход в систему «${escapeHtml(p.clientId)}» <span lang="en">· signing in to ${escapeHtml(p.clientId)}</span></p>
${error}
<form method="post" action="/interaction/${uid}/login" novalidate>
<label for="snils">СНИЛС <span class="en" lang="en">SNILS</span></label>
<p class="hint" id="snils-hint">Например: 112-233-445 95</p>
<input id="snils" name="snils" inputmode="numeric" autocomplete="username" spellcheck="false"
 aria-describedby="snils-hint${errorRef}" value="${escapeHtml(p.snils ?? '')}"${invalid}>
<label for="password">Пароль <span class="en" lang="en">Password</span></label>
<input id="password" name="password" type="password" autocomplete="current-password"${invalid}${
      p.error ? ' aria-describedby="login-error"' : ''
    }>
<button class="primary" type="submit">Войти <span lang="en">/ Sign in</span></button>
</form>
<form method="post" action="/interaction/${uid}/abort">
<button class="secondary" type="submit">Отмена — вернуться без входа <span lang="en">/ Cancel</span></button>
</form>`,
  );
}

export function errorPage(ru: string, en: string): string {
  return shell(
    'Госуслуги — ошибка',
    `<h1>Не удалось выполнить вход <span class="en" lang="en">Sign-in failed</span></h1>
${SIMULATOR_NOTE}<p>${escapeHtml(ru)}</p><p lang="en" class="en">${escapeHtml(en)}</p>`,
  );
}
