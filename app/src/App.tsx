import { lazy, Suspense, useEffect, useState } from "react";
import { WalletBar } from "./components/WalletBar";
import { Overview } from "./pages/Overview";
import { useTxLog } from "./lib/app";

const Subnets = lazy(() => import("./pages/Subnets"));
const Capital = lazy(() => import("./pages/Capital"));
const Contribute = lazy(() => import("./pages/Contribute"));
const Validate = lazy(() => import("./pages/Validate"));
const Govern = lazy(() => import("./pages/Govern"));

const PAGES = [
  { path: "", title: "Overview" },
  { path: "subnets", title: "Subnets" },
  { path: "capital", title: "Capital" },
  { path: "contribute", title: "Contribute" },
  { path: "validate", title: "Validate" },
  { path: "govern", title: "Govern" },
] as const;
type Path = (typeof PAGES)[number]["path"];

function currentPath(): Path {
  const p = window.location.hash.replace(/^#\/?/, "").split(/[/?]/)[0] ?? "";
  return (PAGES.find((x) => x.path === p)?.path ?? "") as Path;
}

export function App() {
  const [path, setPath] = useState<Path>(currentPath);
  useEffect(() => {
    const on = () => setPath(currentPath());
    window.addEventListener("hashchange", on);
    return () => window.removeEventListener("hashchange", on);
  }, []);
  const page = PAGES.find((p) => p.path === path) ?? PAGES[0];
  useEffect(() => {
    document.title = `${page.title} · Tetrad`;
  }, [page]);
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <div className="brand">
          <span aria-hidden="true" className="logo">
            ◆
          </span>{" "}
          Tetrad
        </div>
        <nav aria-label="Pages">
          <ul>
            {PAGES.map((p) => (
              <li key={p.path}>
                <a href={`#/${p.path}`} aria-current={p.path === path ? "page" : undefined}>
                  {p.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <WalletBar />
      </header>
      <main id="main" className="page" tabIndex={-1}>
        <Suspense fallback={<p aria-busy="true">Loading…</p>}>
          {path === "" ? <Overview /> : null}
          {path === "subnets" ? <Subnets /> : null}
          {path === "capital" ? <Capital /> : null}
          {path === "contribute" ? <Contribute /> : null}
          {path === "validate" ? <Validate /> : null}
          {path === "govern" ? <Govern /> : null}
        </Suspense>
      </main>
      <TxLog />
    </>
  );
}

function TxLog() {
  const entries = useTxLog();
  if (entries.length === 0) return null;
  return (
    <aside className="txlog" aria-label="Recent transactions">
      <h2>Recent activity</h2>
      <ul>
        {entries.slice(0, 4).map((e) => (
          <li key={e.id} className={`tx-${e.status}`}>
            {e.label}: {e.status}
            {e.status === "failed" && e.message ? ` — ${e.message}` : ""}
          </li>
        ))}
      </ul>
    </aside>
  );
}
