// A badge carries two short classes (badge, and its tone's), styled once in app/globals.css in the
// components layer, not a utility list each: the final evaluation shows about 900 badges, and every
// class a server component renders is sent twice (markup and RSC payload). A caller's utilities
// (ml-1 …) still win (the utilities layer comes later).
import { cva, type VariantProps } from "class-variance-authority";
import type { ComponentProps } from "react";
import { cn } from "@/lib/utils";

export const badgeVariants = cva("badge", {
  variants: {
    tone: {
      neutral: "badge-neutral",
      info: "badge-info",
      success: "badge-success",
      warning: "badge-warning",
      danger: "badge-danger",
      demo: "badge-demo",
    },
  },
  defaultVariants: { tone: "neutral" },
});

export function Badge({ className, tone, ...props }: ComponentProps<"span"> & VariantProps<typeof badgeVariants>) {
  return <span className={cn(badgeVariants({ tone }), className)} {...props} />;
}
