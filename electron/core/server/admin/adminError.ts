/** An admin request that fails with a known status and a message for the user (404, 409, 400…). */
export class AdminError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.name = 'AdminError';
    this.status = status;
  }
}
