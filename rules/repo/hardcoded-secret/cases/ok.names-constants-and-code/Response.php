<?php
class Response
{
    public const MODEL_POLICY_PASSWORD_STRENGTH = 'policyPasswordStrength';
    public const MODEL_AUTH_PROVIDER_LIST = 'authProviderList';
    protected array $methods = ['email-password' => 'authEmailPassword'];
}
