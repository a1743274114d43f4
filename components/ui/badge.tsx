import { cva, type VariantProps } from "class-variance-authority";
import type { ComponentProps } from "react";
import { cn } from "@/lib/utils";

export const badgeVariants = cva("inline-flex items-center rounded px-2 py-0.5 text-xs font-medium whitespace-nowrap", {
  variants: {
    tone: {
      neutral: "bg-slate-100 text-slate-700",
      info: "bg-blue-50 text-blue-800 ring-1 ring-inset ring-blue-200",
      success: "bg-green-50 text-green-800 ring-1 ring-inset ring-green-200",
      warning: "bg-amber-50 text-amber-900 ring-1 ring-inset ring-amber-300",
      danger: "bg-red-50 text-red-800 ring-1 ring-inset ring-red-200",
      demo: "bg-orange-100 text-orange-900 ring-1 ring-inset ring-orange-400",
    },
  },
  defaultVariants: { tone: "neutral" },
});

export function Badge({ className, tone, ...props }: ComponentProps<"span"> & VariantProps<typeof badgeVariants>) {
  return <span className={cn(badgeVariants({ tone }), className)} {...props} />;
}
