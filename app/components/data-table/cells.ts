import type { ReactNode } from "react";

// Table bodies render their cells straight from the column definitions. TanStack's own cell
// objects (row.getAllCells() → cell.getContext() → <FlexRender>) cost about as much as the rest
// of a 50-row page's rendering together; a cell here gets only what our columns use: the row's
// data and the column's value. TanStack still owns the columns, the header model, sorting and
// selection state.

/** What a column's `cell` function receives. */
export interface LeanCellContext<T> {
  /** `index`: the row's position in the data given to the table. */
  row: { id: string; index: number; original: T };
  getValue: () => unknown;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A TanStack column definition whose `cell` gets a `LeanCellContext`. */
export type LeanColumn<Def, T> = DistributiveOmit<Def, "cell"> & { cell?: (info: LeanCellContext<T>) => ReactNode };

interface ColumnShape {
  accessorKey?: unknown;
  accessorFn?: (row: never, index: number) => unknown;
  cell?: unknown;
}

/** The content of one body cell: the column's `cell` function, else its value as text. */
export function renderCell<T>(column: object, row: { id: string; index: number; original: T }): ReactNode {
  const def = column as ColumnShape;
  const getValue = () =>
    def.accessorFn
      ? def.accessorFn(row.original as never, row.index)
      : typeof def.accessorKey === "string"
        ? (row.original as Record<string, unknown>)[def.accessorKey]
        : undefined;
  if (typeof def.cell === "function") return (def.cell as (info: LeanCellContext<T>) => ReactNode)({ row, getValue });
  const value = getValue();
  return value === null || value === undefined ? null : String(value);
}
