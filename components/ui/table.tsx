// The table primitives. Each element carries one short class (t-row, t-cell, t-num, t-head), styled
// once in app/globals.css in the components layer, instead of a utility list on every cell: the
// dashboard has ~500 cells, and every class a server component renders is sent twice (markup and
// RSC payload). A caller's utilities still override them (the utilities layer comes later).
import type { ComponentProps } from "react";
import { cn } from "@/lib/utils";

export function Table({ className, ...props }: ComponentProps<"table">) {
  return (
    // tabIndex: a table wider than the screen scrolls in this box, and a keyboard user must be able to scroll it (axe scrollable-region-focusable).
    <div className="w-full overflow-x-auto" tabIndex={0}>
      <table className={cn("w-full caption-bottom border-collapse text-sm", className)} {...props} />
    </div>
  );
}
export function TableHeader({ className, ...props }: ComponentProps<"thead">) {
  return <thead className={cn("bg-slate-50 text-left text-slate-600", className)} {...props} />;
}
export function TableBody(props: ComponentProps<"tbody">) {
  return <tbody {...props} />;
}
export function TableRow({ className, ...props }: ComponentProps<"tr">) {
  return <tr className={cn("t-row", className)} {...props} />;
}
export function TableHead({ className, ...props }: ComponentProps<"th">) {
  return <th scope="col" className={cn("t-head", className)} {...props} />;
}
/** `numeric`: an amount or a count, right-aligned in tabular figures. */
export function TableCell({ className, numeric, ...props }: ComponentProps<"td"> & { numeric?: boolean }) {
  return <td className={cn("t-cell", numeric && "t-num", className)} {...props} />;
}
export function TableCaption({ className, ...props }: ComponentProps<"caption">) {
  return <caption className={cn("mt-2 text-xs text-slate-500", className)} {...props} />;
}
