import type { PageContext } from '../ui/context.ts';
import { Layout } from '../ui/layout.tsx';

interface ErrorPageProps {
  ctx: PageContext;
  title: string;
  text: string;
  staff: boolean;
}

export function ErrorPage({ ctx, title, text, staff }: ErrorPageProps) {
  return (
    <Layout ctx={ctx} title={title} area={staff ? 'staff' : 'portal'}>
      <h1>{title}</h1>
      <p>{text}</p>
      <p>
        <a href={staff ? '/staff' : '/'}>{ctx.t('error.backHome')}</a>
      </p>
    </Layout>
  );
}
