/** The Account API's errors about an account's contacts, in AWS's wording. */
import { ServiceError } from '../../core/errors.js';

export const contactInformationNotFound = () =>
  new ServiceError('ResourceNotFoundException', 'No contact information found for this account.');
export const alternateContactNotFound = () =>
  new ServiceError('ResourceNotFoundException', 'No contact of the inputted alternate contact type found.');
