// Devices: the devices of alice (an SDK registers them; the emulator's seed may have none).
import { appId, run } from './common';

run('devices', async (client) => {
  const devices = client.app(appId).devices('alice');
  const listed = await devices.list();
  console.log(`alice has ${listed.devices?.length ?? 0} device(s)`);
  for (const d of listed.devices ?? []) console.log(`  ${(await devices.get(d.id ?? '')).device?.type}`);
});
