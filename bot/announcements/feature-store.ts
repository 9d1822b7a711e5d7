import type { Storage } from 'botbuilder';
import type { AnnouncementStore } from '../../dialogs/feature-deps.js';
import { listConversationRefs, setWorklistSubscription } from './conversation-refs.js';
import type { DeliveryKick } from './kick.js';
import {
  cancelAnnouncement,
  cancelReminder,
  createAnnouncement,
  getAnnouncement,
  listAnnouncements,
  listReminders,
  saveReminder,
} from './store.js';

/** The features' announcement store (dialogs/feature-deps.ts) on the host's storage and delivery kick. */
export function announcementStore(storage: Storage, delivery: DeliveryKick): AnnouncementStore {
  return {
    list: () => listAnnouncements(storage),
    get: (id) => getAnnouncement(storage, id),
    create: (input, createdBy, now) => createAnnouncement(storage, input, createdBy, now, delivery.kick),
    cancel: (id, now) => cancelAnnouncement(storage, id, now),
    conversations: () => listConversationRefs(storage),
    subscribeWorklist: (activity, on, now) => setWorklistSubscription(storage, activity, on, now),
    reminders: () => listReminders(storage),
    saveReminder: (reminder) => saveReminder(storage, reminder),
    cancelReminder: (id, userId) => cancelReminder(storage, id, userId),
  };
}
