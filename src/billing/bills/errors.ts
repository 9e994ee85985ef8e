/** The Billing console's bill and invoice errors, in the wording its API answers with. */
import { ServiceError } from '../../core/errors.js';

/** An invoice the caller's account does not have (its PDF, or a payment against it). */
export const invoiceNotFound = (invoiceId: string) =>
  new ServiceError('ResourceNotFoundException', `Invoice ${invoiceId} was not found.`);
