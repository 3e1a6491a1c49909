// Messages: post a text with quick replies and a carousel (content builders), list, delete.
import { content } from 'sunco';
import { appId, conversationOfAlice, run } from './common';

run('messages', async (client) => {
  const messages = client.app(appId).messages(await conversationOfAlice(client));
  const hello = content.text('How can we help?', [content.reply('Billing', 'billing'), content.reply('An agent', 'agent')]);
  const sent = await messages.post(content.business(hello));
  await messages.post(
    content.business(
      content.carousel([
        content.item('Basic', [content.postback('Choose', 'plan:basic')]),
        content.item('Pro', [content.link('Compare', 'https://example.com/plans')], { description: 'For teams' }),
      ]),
    ),
  );
  for await (const m of messages.iterate()) console.log(`  ${m.author?.type}: ${m.content?.type}`);
  await messages.delete(sent.messages?.[0]?.id ?? '');
  await messages.deleteAll();
});
