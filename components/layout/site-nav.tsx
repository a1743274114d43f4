"use client";
// The header's navigation, grouped by task (lib/auth/route-access.ts NAV_GROUPS). From md up each
// group is a disclosure button opening its links (a group of one page is the link itself); below
// md a menu button opens every group as a list with 44 px tap targets, and the account tools with it.
import Link from "@/components/link";
import { usePathname } from "next/navigation";
import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { cn } from "@/lib/utils";

export interface SiteNavGroup {
  id: string;
  label: string;
  items: { href: string; label: string }[];
}

// The group lists' links are styled from the <nav> (one class list, not one per link: every page
// carries the navigation twice, for phones and from md up; docs/decisions/0038).
const linksClass =
  "[&_li>a]:block [&_li>a]:rounded-md [&_li>a]:px-3 [&_li>a]:py-2 [&_li>a]:text-slate-800 [&_li>a:hover]:bg-blue-50 [&_li>a:hover]:text-blue-900 max-md:[&_li>a]:min-h-11 max-md:[&_li>a]:py-3";

function isCurrent(pathname: string, href: string): boolean {
  return pathname === href || pathname.startsWith(`${href}/`);
}

function DesktopGroup({ group, pathname, open, onToggle }: { group: SiteNavGroup; pathname: string; open: boolean; onToggle: () => void }) {
  const listId = useId();
  const current = group.items.some((i) => isCurrent(pathname, i.href));
  if (group.items.length === 1) {
    const item = group.items[0]!;
    return (
      <Link href={item.href} aria-current={isCurrent(pathname, item.href) ? "page" : undefined} className={cn("rounded-md px-3 py-2 text-slate-800 hover:bg-blue-50 hover:text-blue-900", current && "font-semibold text-blue-900")}>
        {item.label}
      </Link>
    );
  }
  return (
    <div className="relative">
      <button
        type="button"
        aria-expanded={open}
        aria-controls={listId}
        onClick={onToggle}
        className={cn("inline-flex items-center gap-1 rounded-md px-3 py-2 text-slate-800 hover:bg-blue-50 hover:text-blue-900", current && "font-semibold text-blue-900")}
      >
        {group.label}
        <span aria-hidden="true" className="text-xs">{open ? "▴" : "▾"}</span>
      </button>
      <ul id={listId} hidden={!open} className="absolute left-0 z-20 mt-1 min-w-44 rounded-md border border-slate-200 bg-white p-1 shadow-lg">
        {group.items.map((item) => (
          <li key={item.href}>
            <Link href={item.href} aria-current={isCurrent(pathname, item.href) ? "page" : undefined} className="whitespace-nowrap">
              {item.label}
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function SiteNav({ groups, navLabel, menuLabel, tools }: { groups: SiteNavGroup[]; navLabel: string; menuLabel: string; tools: ReactNode }) {
  const pathname = usePathname();
  const [openGroup, setOpenGroup] = useState<string | null>(null);
  const [menuOpen, setMenuOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const menuId = useId();

  // A new page closes whatever was open.
  useEffect(() => {
    setOpenGroup(null);
    setMenuOpen(false);
  }, [pathname]);

  // Escape or a click elsewhere closes an open group.
  useEffect(() => {
    if (!openGroup) return;
    const onKey = (event: KeyboardEvent) => event.key === "Escape" && setOpenGroup(null);
    const onClick = (event: MouseEvent) => root.current && !root.current.contains(event.target as Node) && setOpenGroup(null);
    document.addEventListener("keydown", onKey);
    document.addEventListener("click", onClick);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("click", onClick);
    };
  }, [openGroup]);

  return (
    <div ref={root} className="contents">
      <button
        type="button"
        aria-expanded={menuOpen}
        aria-controls={menuId}
        onClick={() => setMenuOpen((v) => !v)}
        className="ml-auto inline-flex min-h-11 min-w-11 items-center justify-center gap-2 rounded-md border border-slate-300 px-3 text-sm font-medium text-slate-900 md:hidden"
      >
        <span aria-hidden="true">☰</span>
        {menuLabel}
      </button>
      <div id={menuId} className={cn("w-full flex-col gap-3 md:flex md:w-auto md:flex-1 md:flex-row md:items-center md:gap-4", menuOpen ? "flex" : "hidden")}>
        <nav aria-label={navLabel} className={cn("text-sm md:flex-1", linksClass)}>
          {/* Phones: every group as a heading and its links, drawn when the menu opens (it needs script to
              open anyway; every page is lighter by the list: docs/decisions/0038). */}
          {menuOpen && (
            <div className="space-y-3 md:hidden">
              {groups.map((group) => (
                <div key={group.id}>
                  <p className="px-3 text-xs font-medium text-slate-600">{group.label}</p>
                  <ul>
                    {group.items.map((item) => (
                      <li key={item.href}>
                        <Link href={item.href} aria-current={isCurrent(pathname, item.href) ? "page" : undefined}>
                          {item.label}
                        </Link>
                      </li>
                    ))}
                  </ul>
                </div>
              ))}
            </div>
          )}
          {/* From md up: one entry per group. */}
          <div className="hidden flex-nowrap items-center gap-1 md:flex">
            {groups.map((group) => (
              <DesktopGroup key={group.id} group={group} pathname={pathname} open={openGroup === group.id} onToggle={() => setOpenGroup((g) => (g === group.id ? null : group.id))} />
            ))}
          </div>
        </nav>
        {tools}
      </div>
    </div>
  );
}
