import { ProblemPage } from "@/components/problem-page";

/** 404 (notFound() from a page, an unknown URL) in the reader's language, not Next's English default. */
export default function NotFound() {
  return <ProblemPage problem="notFound" />;
}
