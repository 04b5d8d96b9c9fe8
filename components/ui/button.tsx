import type { ComponentProps } from "react";

export type ButtonVariant = "default" | "primary" | "danger" | "danger-solid" | "link";
export type ButtonSize = "md" | "sm";

const variants: Record<ButtonVariant, string> = {
  default: "btn",
  primary: "btn btn-primary",
  danger: "btn btn-danger",
  "danger-solid": "btn btn-danger-solid",
  link: "btn-link",
};

/** The class list of a button, for links that look like one. */
export function buttonClass(variant: ButtonVariant = "default", size: ButtonSize = "md", extra?: string): string {
  return [variants[variant], size === "sm" ? "btn-sm" : "", extra ?? ""].filter(Boolean).join(" ");
}

type Props = ComponentProps<"button"> & { variant?: ButtonVariant; size?: ButtonSize };

/** A button that is type="button" unless told otherwise, so it never submits a form by accident. */
export function Button({ variant = "default", size = "md", type = "button", className, ...rest }: Props) {
  return <button type={type} className={buttonClass(variant, size, className)} {...rest} />;
}
