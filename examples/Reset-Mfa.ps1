<#
.SYNOPSIS
    Resets the MFA of one user, or of every user listed in a CSV file, through the MFA
    administration service. Works with Windows PowerShell 5.1 and PowerShell 7.

.DESCRIPTION
    Signs in the way the NPS sample does (POST /signinBody with {Login, Password}, then
    POST /signin2fa with the current code from your authenticator app), then calls
    PUT /api/v1/ManagedAccount/ResetMFA/{id} for one user, or the batch endpoint
    PUT /api/v1/ManagedAccount/ResetMFA (all or nothing) for a CSV file.

    The sign-in's second step counts as the step-up proof for the next 15 minutes
    (STEP_UP_MAX_AGE), so no x-2fa-code header is needed right after signing in.

    Every target is looked up first (GET /api/v1/ManagedAccount/{id}, which needs the
    view-accounts permission, as HelpDesk has): -WhatIf signs in, names the users that would
    be reset, and reports ids that do not exist, without changing anything.

.PARAMETER BaseUrl
    The service, e.g. https://mfa-admin.example.com

.PARAMETER Login
    Your user name (an account with the edit-other-user-totp permission). Not needed with an
    API key.

.PARAMETER ApiKey
    An API key (mfak_...) instead of signing in, for unattended jobs; default
    $env:MFA_ADMIN_API_KEY. It is sent as the NPS sample sends one (Authorization: <key>). A key
    created with the step-up grant resets without a code; any other needs -MfaCode (the key
    owner's current code) for each run.

.PARAMETER Password
    Your password. Prompted for when omitted.

.PARAMETER MfaCode
    Your current six-digit code. Prompted for when omitted.

.PARAMETER UserId
    The id (uuid) of the user whose MFA is reset.

.PARAMETER CsvPath
    A CSV file with a column "Id" (uuids): every listed user is reset in one call, or none is.

.EXAMPLE
    .\Reset-Mfa.ps1 -BaseUrl https://localhost:3000 -Login helpdesk -UserId 0f9e4c1a-3c55-4c1e-9d0c-6f1d2b7c8a90

.EXAMPLE
    .\Reset-Mfa.ps1 -BaseUrl https://localhost:3000 -Login helpdesk -CsvPath .\lost-phones.csv -WhatIf

.EXAMPLE
    $env:MFA_ADMIN_API_KEY = 'mfak_...'
    .\Reset-Mfa.ps1 -BaseUrl https://localhost:3000 -UserId 0f9e4c1a-3c55-4c1e-9d0c-6f1d2b7c8a90
#>
[CmdletBinding(SupportsShouldProcess = $true, DefaultParameterSetName = 'One')]
param(
    [Parameter(Mandatory = $true)] [string] $BaseUrl,
    [string] $Login,
    [string] $ApiKey = $env:MFA_ADMIN_API_KEY,
    [string] $Password,
    [string] $MfaCode,
    [Parameter(Mandatory = $true, ParameterSetName = 'One')] [guid] $UserId,
    [Parameter(Mandatory = $true, ParameterSetName = 'Csv')] [string] $CsvPath
)

$ErrorActionPreference = 'Stop'
$BaseUrl = $BaseUrl.TrimEnd('/')

if ($PSCmdlet.ParameterSetName -eq 'Csv') {
    $Ids = @(Import-Csv -Path $CsvPath | ForEach-Object { ([guid] $_.Id).ToString() })
    if ($Ids.Count -eq 0) { throw "No ids in $CsvPath (it needs a column named Id)." }
    if ($Ids.Count -gt 1000) { throw "At most 1000 ids per call; $CsvPath has $($Ids.Count)." }
    $Targets = $Ids
} else {
    $Targets = @($UserId.ToString())
}

if (-not $ApiKey -and -not $Login) { throw 'Give -Login (and sign in), or -ApiKey (or $env:MFA_ADMIN_API_KEY).' }

if (-not $ApiKey -and -not $Password) {
    $Secure = Read-Host -Prompt "Password for $Login" -AsSecureString
    # NetworkCredential reads a SecureString the same way on 5.1 and on 7 (Windows, Linux, macOS);
    # Marshal.PtrToStringAuto returns a single character on PowerShell 7 for Linux and macOS.
    $Password = [System.Net.NetworkCredential]::new('', $Secure).Password
}
if (-not $ApiKey -and -not $MfaCode) { $MfaCode = Read-Host -Prompt 'Current MFA code' }

function Show-Problem($ErrorRecord) {
    # The service answers RFC 9457 problem details; show title, detail and the trace id.
    $Body = $ErrorRecord.ErrorDetails.Message
    if ($Body) {
        try {
            $Problem = $Body | ConvertFrom-Json
            Write-Error "$($Problem.status) $($Problem.title): $($Problem.detail) (traceId $($Problem.traceId))"
            return
        } catch { }
    }
    Write-Error $ErrorRecord
}

$LoginBody = @{
    Login    = $Login
    Password = $Password
}

try {
    # Cookie container, as in the NPS sample; the service itself needs only the bearer token.
    $WebSession = New-Object Microsoft.PowerShell.Commands.WebRequestSession
    if ($ApiKey) {
        # An API key, as the NPS sample sends one; no sign-in, no session to end.
        $Headers = @{ Authorization = $ApiKey }
        if ($MfaCode) { $Headers['x-2fa-code'] = $MfaCode }
    } else {
        $Token = Invoke-RestMethod -Uri "$BaseUrl/signinBody" -Method POST -Body (ConvertTo-Json $LoginBody) -WebSession $WebSession
        $Token = Invoke-RestMethod -Uri "$BaseUrl/signin2fa" -Method POST -Body $MfaCode -Headers @{ Authorization = "Bearer $Token" } -WebSession $WebSession
        $Headers = @{ Authorization = "Bearer $Token" }
    }

    # Look every target up first (view-accounts), so that -WhatIf and -Confirm name real users
    # and an id that does not exist is reported before anything is asked or changed.
    $Found = @()
    $Missing = @()
    foreach ($Id in $Targets) {
        try {
            $Found += Invoke-RestMethod -Method GET -Uri "$BaseUrl/api/v1/ManagedAccount/$Id" -Headers $Headers -WebSession $WebSession
        } catch {
            if ($_.Exception.Response -and [int] $_.Exception.Response.StatusCode -eq 404) { $Missing += $Id } else { throw }
        }
    }
    if ($Missing.Count -gt 0) {
        if (-not $ApiKey) { Invoke-RestMethod -Method POST -Uri "$BaseUrl/signout" -Headers $Headers -WebSession $WebSession | Out-Null }
        Write-Error "No such user: $($Missing -join ', '). Nothing was reset."
        exit 1
    }
    $Names = ($Found | ForEach-Object { "$($_.userName) ($($_.id), MFA on: $($_.mfaEnabled))" }) -join ', '
    if (-not $PSCmdlet.ShouldProcess($Names, 'Reset MFA')) {
        if (-not $ApiKey) { Invoke-RestMethod -Method POST -Uri "$BaseUrl/signout" -Headers $Headers -WebSession $WebSession | Out-Null }
        return
    }

    if ($PSCmdlet.ParameterSetName -eq 'Csv') {
        $Body = ConvertTo-Json -InputObject @{ ids = $Targets } -Compress
        $Result = Invoke-RestMethod -Method PUT -Uri "$BaseUrl/api/v1/ManagedAccount/ResetMFA" -Headers $Headers -Body $Body -WebSession $WebSession
        Write-Host "MFA reset for $($Result.userids.Count) user(s)."
        $Result.userids
    } else {
        $Result = Invoke-RestMethod -Method PUT -Uri "$BaseUrl/api/v1/ManagedAccount/ResetMFA/$($Targets[0])" -Headers $Headers -WebSession $WebSession
        Write-Host "MFA reset for $($Result.userName) (was enabled: $($Result.mfaWasEnabled); sessions ended: $($Result.sessionsRevoked))."
        $Result
    }

    if (-not $ApiKey) { Invoke-RestMethod -Method POST -Uri "$BaseUrl/signout" -Headers $Headers -WebSession $WebSession | Out-Null }
} catch {
    Show-Problem $_
    exit 1
}
