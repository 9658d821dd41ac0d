/** Questions the CLI may ask on a terminal. Tests pass a scripted fake; main.ts passes the @inquirer one. */
export interface Prompter {
  text(message: string, options?: { default?: string; validate?: (value: string) => true | string }): Promise<string>;
  confirm(message: string, options?: { default?: boolean }): Promise<boolean>;
  /** Hidden input (passwords, keys, mnemonics): never echoed, never logged. */
  secret(message: string, options?: { validate?: (value: string) => true | string }): Promise<string>;
  select<T extends string>(message: string, choices: { value: T; name?: string; description?: string }[], options?: { default?: T }): Promise<T>;
}
