/** The error of type `type` that `action` throws; fails the test if it throws nothing or something else. */
export function thrownBy<E extends Error>(
  action: () => unknown,
  type: abstract new (...args: never[]) => E,
): E {
  try {
    action();
  } catch (error) {
    if (error instanceof type) return error;
    throw error;
  }
  throw new Error(`expected a ${type.name} to be thrown`);
}
