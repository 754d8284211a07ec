/** aws.org-policies: always not-checked. Resource control policies of the customer's organization can deny Segments, and this command cannot see them. */
import { CheckOutcome, skipped } from '../report';

export function checkOrgPolicies(): CheckOutcome[] {
  return [skipped('aws.org-policies', 'Resource control policies (RCPs) of your AWS Organization can deny Segments (a data perimeter on aws:PrincipalOrgID does), ' +
    'and this command cannot see them: ask your organization\'s administrators whether one applies to this bucket.')];
}
