import { ProblemPage } from "@/components/problem-page";

/** 403 (forbidden()): the role may not open this page; the denial is audited where it is decided. */
export default function Forbidden() {
  return <ProblemPage problem="forbidden" />;
}
