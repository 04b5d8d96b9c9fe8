"use client";

import {
  Children,
  cloneElement,
  type ComponentProps,
  createContext,
  Fragment,
  isValidElement,
  type ReactElement,
  type ReactNode,
  useContext,
} from "react";

export type Column = {
  label: string;
  /** The header is read by screen readers only (an actions column). */
  hideLabel?: boolean;
};

const ColumnsContext = createContext<Column[]>([]);

type TableProps = {
  caption: string;
  columns: Column[];
  children: ReactNode;
  className?: string;
};

/**
 * A table that scrolls inside its own box when wide and, in a narrow box (a phone), shows each row as a
 * block of labelled cells. Rows are {@link Row}s whose children are `<td>`s, one per column, in order.
 */
export function DataTable({ caption, columns, children, className }: TableProps) {
  return (
    <div className="table-wrap">
      <table className={className ? `data-table ${className}` : "data-table"}>
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.label} scope="col">
                {c.hideLabel ? <span className="sr-only">{c.label}</span> : c.label}
              </th>
            ))}
          </tr>
        </thead>
        <ColumnsContext.Provider value={columns}>
          <tbody>{children}</tbody>
        </ColumnsContext.Provider>
      </table>
    </div>
  );
}

type Cell = ReactElement<ComponentProps<"td"> & { "data-label"?: string }>;

type RowProps = Omit<ComponentProps<"tr">, "children"> & {
  children: ReactNode;
  /** Shown in a full-width row under this one while not null: a test result, details. */
  expanded?: ReactNode;
  /** Names the expanded row's cell for screen readers, e.g. "Credential test of hub". */
  expandedLabel?: string;
  /** The id a toggle button's aria-controls points at. */
  expandedId?: string;
};

/** One table row, its cells labelled with their column for the narrow layout, and an optional expanded row. */
export function Row({ children, expanded, expandedLabel, expandedId, ...rest }: RowProps) {
  const columns = useContext(ColumnsContext);
  const cells = Children.toArray(children).map((child, i) => {
    const column = columns[i];
    if (!isValidElement(child) || !column || column.hideLabel) return child;
    // One wrapper per cell: in the narrow layout the cell is a grid of its label and this value.
    const cell = child as Cell;
    return cloneElement(cell, { "data-label": column.label }, <div className="cell-value">{cell.props.children}</div>);
  });
  return (
    <Fragment>
      <tr {...rest}>{cells}</tr>
      {expanded != null && expanded !== false ? (
        <tr className="expanded-row" id={expandedId}>
          <td colSpan={columns.length} aria-label={expandedLabel}>
            {expanded}
          </td>
        </tr>
      ) : null}
    </Fragment>
  );
}

/** The buttons at the end of a row. */
export function RowActions({ children }: { children: ReactNode }) {
  return <div className="row-actions">{children}</div>;
}
