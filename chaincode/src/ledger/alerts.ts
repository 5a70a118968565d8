import { Context } from 'fabric-contract-api';
import { alertFingerprint, withinAlertWindow } from '../domain';
import { emit } from './events';
import { KEY } from './keys';
import { Alert } from './models';
import { Store } from './store';

/** The de-duplicated alert: a repeat of an identical alert within the window counts on the first one. */
export async function recordAlert(
  ctx: Context,
  store: Store,
  alert: Pick<Alert, 'gtin' | 'serial' | 'lot' | 'reasons' | 'org' | 'gln' | 'sightings'>,
): Promise<Alert> {
  const now = store.now();
  const txId = store.txId();
  const fingerprint = alertFingerprint(alert);
  const ref = await store.find<{ key: string[] }>(KEY.alertRef, fingerprint);
  const previous = ref && (await store.find<Alert>(KEY.alert, ref.key));
  let recorded: Alert;
  if (ref && previous && withinAlertWindow(previous.at, now)) {
    recorded = { ...previous, count: previous.count + 1, lastSeen: now };
    await store.put(KEY.alert, ref.key, recorded);
  } else {
    // Inverted milliseconds in the key: a plain range scan reads the newest alert first.
    const key = [String(9_999_999_999_999 - Date.parse(now)).padStart(13, '0'), txId];
    recorded = { ...alert, id: txId, at: now, txId, count: 1, lastSeen: now };
    await store.put(KEY.alert, key, recorded);
    await store.put(KEY.alertRef, fingerprint, { key });
  }
  emit(ctx, {
    type: 'ALERT',
    at: now,
    org: alert.org,
    gln: alert.gln,
    txId,
    gtin: alert.gtin,
    lot: alert.lot,
    serial: alert.serial,
    reasons: alert.reasons,
    alertId: recorded.id,
    count: recorded.count,
  });
  return recorded;
}
