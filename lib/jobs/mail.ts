// Optional e-mail for the scheduled reminders and alerts: off unless SMTP_URL is set. The text is
// the in-app notification's own Chinese message (messages/zh-CN.json notifications.kind), so the
// two never say different things. A failed send is reported by the job, never retried blindly:
// the in-app notification is the record.
import { createTranslator } from "next-intl";
import nodemailer from "nodemailer";
import { env } from "@/lib/env";
import zhCN from "@/messages/zh-CN.json";
import type { NotificationKind } from "@/lib/generated/prisma/enums";

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
}

/** The mailer for SMTP_URL (or the given URL); null when e-mail is off. */
export function smtpMailer(url: string | undefined = env.SMTP_URL, from: string = env.SMTP_FROM): Mailer | null {
  if (!url) return null;
  const transport = nodemailer.createTransport(url);
  return {
    async send(mail) {
      await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text });
    },
  };
}

const t = createTranslator({ locale: "zh-CN", messages: zhCN });

/** The Chinese text of a notification, as the notifications page shows it. */
export function notificationText(kind: NotificationKind, params: Record<string, string | number>): string {
  return t(`notifications.kind.${kind}`, params);
}

/** A notification as an e-mail: the subject is the message, the body adds where to look. */
export function notificationMail(to: string, kind: NotificationKind, params: Record<string, string | number>, link: string): Mail {
  const text = notificationText(kind, params);
  return { to, subject: t("jobs.mailSubject", { text }), text: `${text}\n\n${t("jobs.mailFooter", { link })}\n` };
}
