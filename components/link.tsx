// The app's one link component: next/link without automatic prefetching (docs/decisions/0037).
// Every page is dynamic (it depends on who is signed in), so a prefetch is a server render of the
// target's layout for a link the user will most likely not follow: a list page of 50 projects
// caused 29 such requests per view. A link that is worth it can still ask: <Link prefetch>.
import NextLink from "next/link";
import type { ComponentProps } from "react";

export type LinkProps = ComponentProps<typeof NextLink>;

export default function Link({ prefetch = false, ...props }: LinkProps) {
  return <NextLink prefetch={prefetch} {...props} />;
}
