/** The ReminderPolicy in force (DEFAULT_REMINDER_POLICY unless NotificationsModule.withPolicy is used). */
export const REMINDER_POLICY = Symbol('REMINDER_POLICY');
