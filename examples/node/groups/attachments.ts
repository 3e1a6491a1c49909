// Attachments: upload bytes, send them as an image message, delete the file.
import { content } from 'sunco';
import { appId, conversationOfAlice, run } from './common';

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

run('attachments', async (client) => {
  const app = client.app(appId);
  const uploaded = await app.attachments().upload(PNG, { access: 'public' }, { fileName: 'logo.png', contentType: 'image/png' });
  const mediaUrl = uploaded.attachment?.mediaUrl ?? '';
  console.log(`uploaded ${mediaUrl}`);
  const conversationId = await conversationOfAlice(client);
  await app.messages(conversationId).post(content.business(content.image(mediaUrl)));
  await app.attachments().delete({ mediaUrl });
});
