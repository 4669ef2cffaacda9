import type { LinksFunction, MetaFunction } from "@remix-run/node";
import { Links, Meta, NavLink, Outlet, Scripts, ScrollRestoration } from "@remix-run/react";
import { useEffect, useState } from "react";
import { ChatPanel } from "./components/chat-panel.tsx";
import { GeneralErrorBoundary } from "./components/error-boundary.tsx";
import styles from "./tailwind.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "Trailcast" }];

// Applied before paint so a dark-mode user never sees a white flash.
const THEME_SCRIPT = `try{var t=localStorage.getItem("theme");if(t==="dark"||(!t&&matchMedia("(prefers-color-scheme: dark)").matches))document.documentElement.classList.add("dark")}catch(e){}`;

export function Layout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: a constant script, no data */}
        <script dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
        <Meta />
        <Links />
      </head>
      <body className="bg-white text-slate-900 dark:bg-slate-950 dark:text-slate-100">
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

const navClass = ({ isActive }: { isActive: boolean }) =>
  `rounded px-2 py-1 text-sm ${isActive ? "bg-slate-200 font-semibold dark:bg-slate-800" : "hover:bg-slate-100 dark:hover:bg-slate-900"}`;

export default function App() {
  const [chatOpen, setChatOpen] = useState(false);
  return (
    <div className="flex h-full flex-col">
      <header className="flex items-center gap-4 border-b border-slate-200 px-4 py-2 dark:border-slate-800">
        <a href="#main" className="sr-only focus:not-sr-only">
          Skip to content
        </a>
        <span className="font-semibold tracking-tight">Trailcast</span>
        <nav aria-label="Main" className="flex gap-1">
          <NavLink to="/" end className={navClass}>
            Timeline
          </NavLink>
          <NavLink to="/principals" className={navClass}>
            Principals
          </NavLink>
          <NavLink to="/anomalies" className={navClass}>
            Anomalies
          </NavLink>
        </nav>
        <div className="ml-auto flex items-center gap-2">
          <ThemeToggle />
          <button
            type="button"
            className="rounded border border-slate-300 px-2 py-1 text-sm dark:border-slate-700"
            aria-expanded={chatOpen}
            aria-controls="chat-panel"
            onClick={() => setChatOpen((open) => !open)}
          >
            {chatOpen ? "Close assistant" : "Ask the assistant"}
          </button>
        </div>
      </header>
      <div className="flex min-h-0 flex-1">
        <main id="main" className="min-w-0 flex-1 overflow-auto">
          <Outlet />
        </main>
        {chatOpen ? <ChatPanel onClose={() => setChatOpen(false)} /> : null}
      </div>
    </div>
  );
}

function ThemeToggle() {
  const [dark, setDark] = useState(false);
  useEffect(() => setDark(document.documentElement.classList.contains("dark")), []);
  return (
    <button
      type="button"
      className="rounded border border-slate-300 px-2 py-1 text-sm dark:border-slate-700"
      aria-pressed={dark}
      onClick={() => {
        const next = !dark;
        document.documentElement.classList.toggle("dark", next);
        localStorage.setItem("theme", next ? "dark" : "light");
        setDark(next);
      }}
    >
      {dark ? "Light mode" : "Dark mode"}
    </button>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
