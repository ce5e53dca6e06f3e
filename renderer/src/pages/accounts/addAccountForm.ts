/**
 * The add-account form as plain data: what the user typed, which fields are missing or wrong, and the request
 * it becomes. Checked here before anything is sent, so a typo never reaches Kiro.
 */
import type { AddAccountRequest } from '../../../../shared/adminApi.ts';

export type AddAccountKind = AddAccountRequest['kind'];

export const ADD_ACCOUNT_KINDS: readonly AddAccountKind[] = ['social', 'idc', 'api_key'];

export interface AddAccountForm {
  kind: AddAccountKind;
  label: string;
  refreshToken: string;
  clientId: string;
  clientSecret: string;
  region: string;
  apiKey: string;
}

export const EMPTY_ADD_ACCOUNT_FORM: AddAccountForm = {
  kind: 'social',
  label: '',
  refreshToken: '',
  clientId: '',
  clientSecret: '',
  region: 'us-east-1',
  apiKey: '',
};

export type AddAccountField = Exclude<keyof AddAccountForm, 'kind' | 'label'>;

/** Why a field cannot be sent: it is empty, or (for an API key) it does not look like one. */
export type FieldProblem = 'required' | 'apiKeyPrefix';

export function addAccountProblems(form: AddAccountForm): Partial<Record<AddAccountField, FieldProblem>> {
  const problems: Partial<Record<AddAccountField, FieldProblem>> = {};
  const require = (field: AddAccountField) => {
    if (form[field].trim() === '') problems[field] = 'required';
  };
  if (form.kind === 'api_key') {
    require('apiKey');
    if (!problems.apiKey && !form.apiKey.trim().startsWith('ksk_')) problems.apiKey = 'apiKeyPrefix';
    return problems;
  }
  require('refreshToken');
  if (form.kind === 'idc') {
    require('clientId');
    require('clientSecret');
    require('region');
  }
  return problems;
}

/** The request for a form without problems; an empty label is left out so the server names the account. */
export function addAccountRequest(form: AddAccountForm): AddAccountRequest {
  const label = form.label.trim() || undefined;
  const withLabel = label ? { label } : {};
  if (form.kind === 'api_key') return { kind: 'api_key', apiKey: form.apiKey.trim(), ...withLabel };
  if (form.kind === 'social') return { kind: 'social', refreshToken: form.refreshToken.trim(), ...withLabel };
  return {
    kind: 'idc',
    refreshToken: form.refreshToken.trim(),
    clientId: form.clientId.trim(),
    clientSecret: form.clientSecret.trim(),
    region: form.region.trim(),
    ...withLabel,
  };
}
