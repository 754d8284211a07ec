/** Small builders for the evaluator's literal tests. */
import { evaluateIamRequest, type IamEvaluation, type IamEvaluationInput, type IamRequestContext } from '../../lib';

export const SEGMENTS = 'arn:aws:iam::931508227573:user/segmentsai-prod-user';
export const CUSTOMER = '111122223333';
export const OBJECT = 'arn:aws:s3:::amzn-s3-demo-bucket/photos/a.jpg';

/** An identity side allowing `action` on everything (how verify models Segments' own IAM policy). */
export const allowsEverything = (action = '*') => [{ name: 'own', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] } }];

/** A 2012-10-17 policy of the given statements. */
export const policy = (...Statement: Record<string, unknown>[]) => ({ Version: '2012-10-17', Statement });

/** Segments' GET of OBJECT in the customer's account, judged against a bucket policy and its own allow-everything policy. */
export function segmentsGet(resourcePolicy: unknown, context: IamRequestContext = {}, more: Partial<IamEvaluationInput> = {}): IamEvaluation {
  return evaluateIamRequest({
    request: { principal: SEGMENTS, action: 's3:GetObject', resource: OBJECT, resourceAccount: CUSTOMER, context },
    resourcePolicy,
    identityPolicies: allowsEverything(),
    ...more,
  });
}

/** The decision of one condition block in an Allow for everyone, for a request with `context`. */
export function conditionAllows(condition: Record<string, unknown>, context: IamRequestContext, version = '2012-10-17'): IamEvaluation['decision'] {
  return segmentsGet({ Version: version, Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::amzn-s3-demo-bucket/*', Condition: condition }] }, context).decision;
}
