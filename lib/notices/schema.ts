// 督办 notices: what the leadership office sends, what the owner unit answers, how it is closed.
// Shared by the forms and lib/notices/commands.ts.
import { z } from "zod";
import { isoDay, version } from "@/lib/validations/form";

const text = (max: number) => z.string().trim().min(1, "validation.required").max(max, "validation.tooLong");

export const sendNoticeInput = z
  .object({
    projectId: z.uuid(),
    subject: text(1000),
    deadline: isoDay,
  })
  .strict();
export type SendNoticeInput = z.infer<typeof sendNoticeInput>;

export const answerNoticeInput = z
  .object({
    id: z.uuid(),
    version: version(1),
    answer: text(4000),
  })
  .strict();
export type AnswerNoticeInput = z.infer<typeof answerNoticeInput>;

export const closeNoticeInput = z
  .object({
    id: z.uuid(),
    version: version(1),
    closingNote: z.string().trim().max(2000, "validation.tooLong").optional().transform((v) => v || null),
  })
  .strict();
export type CloseNoticeInput = z.infer<typeof closeNoticeInput>;
