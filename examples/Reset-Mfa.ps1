<#
.SYNOPSIS
    Resets the MFA of one user, or of every user listed in a CSV file, through the MFA
    administration service. Works with Windows PowerShell 5.1 and PowerShell 7.

.DESCRIPTION
    Signs in the way the NPS sample does (POST /signinBody with {Login, Password}, then
    POST /signin2fa with the current code from your authenticator app), then calls
    PUT /api/v1/ManagedAccount/ResetMFA/{id} for each user: the one -UserId, or every row of a
    CSV file, one call per row.

    The sign-in's second step counts as the step-up proof for the next 15 minutes
    (STEP_UP_MAX_AGE), so no x-2fa-code header is needed right after signing in.

    Every target is looked up first (GET /api/v1/ManagedAccount/{id}, which needs the
    view-accounts permission, as HelpDesk has): -WhatIf signs in, names the users that would
    be reset, and reports ids that do not exist, without changing anything. If any id does not
    exist, nobody is reset.

    -Reason and -Ticket go with every reset as its JSON body {"reason": ..., "ticket": ...}
    (UTF-8, so a reason beyond ASCII arrives intact on 5.1 too); the service keeps them in the
    reset's audit event and the account's MFA history. A service run with
    RESET_REASON_REQUIRED=true refuses a reset without a reason.

    Every reset call carries an Idempotency-Key of its own (a new GUID per user). A call that
    meets a network error, a 5xx or a 409 is sent again, up to 3 times, with the same key and
    the same body, a little later each time: the service answers a retry of a reset it has
    already done with the first answer, and resets nobody twice.

    The service limits how many accounts a caller may reset in 10 minutes (HelpDesk: 50). Past
    that it answers 429 and resets nobody; the script stops there, says which rows were reset
    and when to go on (Retry-After), and writes the rows not reset to <CsvPath>.remaining.csv
    for the next run.

    When the service hands out one-time enrolment codes (RESET_ENROLLMENT_CODE=true), each
    reset's code is shown: give it to the user over a channel you trust.

    Exit code: 0 when every user was reset; 1 on an error (a row not reset, a missing id, a
    failed sign-in); 2 when the reset budget stopped the run.

.PARAMETER BaseUrl
    The service, e.g. https://mfa-admin.example.com

.PARAMETER Login
    Your user name (an account with the edit-other-user-totp permission). Not needed with an
    API key.

.PARAMETER ApiKey
    An API key (mfak_...) instead of signing in, for unattended jobs; default
    $env:MFA_ADMIN_API_KEY. It is sent as the NPS sample sends one (Authorization: <key>). A key
    created with the step-up grant resets without a code; any other needs -MfaCode (the key
    owner's current code), which proves one call only: such a key resets one user per run.

.PARAMETER Password
    Your password. Prompted for when omitted.

.PARAMETER MfaCode
    Your current six-digit code. Prompted for when omitted.

.PARAMETER UserId
    The id (uuid) of the user whose MFA is reset.

.PARAMETER CsvPath
    A CSV file (UTF-8) with a column "Id" (uuids), and optionally "Reason" and "Ticket": a
    row's own reason and ticket win over -Reason and -Ticket. Each row is reset by a call of
    its own; a run that stops part-way says which rows were reset and writes the others, each
    with the reason, ticket and Idempotency-Key it was sent with, to <CsvPath>.remaining.csv:
    a column "IdempotencyKey" (a GUID) is sent as the row's key instead of a new one.

.PARAMETER Reason
    Why the MFA is reset (at most 500 characters, no line breaks), e.g. 'Lost phone, identity
    checked by call-back'. Kept in the audit event of each reset.

.PARAMETER Ticket
    The help-desk ticket (at most 100 characters), e.g. INC-4711. Kept in the audit event of
    each reset.

.EXAMPLE
    .\Reset-Mfa.ps1 -BaseUrl https://localhost:3000 -Login helpdesk -UserId 0f9e4c1a-3c55-4c1e-9d0c-6f1d2b7c8a90 -Reason 'Lost phone, identity checked by call-back' -Ticket INC-4711

.EXAMPLE
    .\Reset-Mfa.ps1 -BaseUrl https://localhost:3000 -Login helpdesk -CsvPath .\lost-phones.csv -Ticket INC-4712 -WhatIf

.EXAMPLE
    $env:MFA_ADMIN_API_KEY = 'mfak_...'
    .\Reset-Mfa.ps1 -BaseUrl https://localhost:3000 -UserId 0f9e4c1a-3c55-4c1e-9d0c-6f1d2b7c8a90 -Reason 'New phone'
#>
[CmdletBinding(SupportsShouldProcess = $true, DefaultParameterSetName = 'One')]
param(
    [Parameter(Mandatory = $true)] [string] $BaseUrl,
    [string] $Login,
    [string] $ApiKey = $env:MFA_ADMIN_API_KEY,
    [string] $Password,
    [string] $MfaCode,
    [Parameter(Mandatory = $true, ParameterSetName = 'One')] [guid] $UserId,
    [Parameter(Mandatory = $true, ParameterSetName = 'Csv')] [string] $CsvPath,
    [string] $Reason,
    [string] $Ticket
)

$ErrorActionPreference = 'Stop'
$BaseUrl = $BaseUrl.TrimEnd('/')
# A retry waits $RetryWaitSeconds, then twice that, then three times that.
$MaxRetries = 3
$RetryWaitSeconds = 2

function Select-Text {
    # The first value that is not empty, trimmed; $null when there is none.
    foreach ($Value in $args) {
        if ($null -ne $Value -and ([string] $Value).Trim() -ne '') { return ([string] $Value).Trim() }
    }
    return $null
}

function Assert-Justification([string] $Text, [string] $Name, [int] $Max, [string] $Where) {
    # The service's own rules, checked before anything is reset: a bad row must not stop a run
    # half-way.
    if (-not $Text) { return }
    if ($Text.Length -gt $Max) { throw "${Where}: the $Name is longer than $Max characters." }
    if ($Text -match '[\x00-\x1f\x7f-\x9f\u2028\u2029]') { throw "${Where}: the $Name contains a line break or another control character." }
}

function ConvertTo-ResetJson([string] $RowReason, [string] $RowTicket) {
    # The reset's body, {"reason": ..., "ticket": ...}; $null (a bodiless PUT) when both are empty.
    $Fields = [ordered]@{}
    if ($RowReason) { $Fields['reason'] = $RowReason }
    if ($RowTicket) { $Fields['ticket'] = $RowTicket }
    if ($Fields.Count -eq 0) { return $null }
    return (ConvertTo-Json -InputObject $Fields -Compress)
}

if ($PSCmdlet.ParameterSetName -eq 'Csv') {
    $Rows = @()
    $Seen = @{}
    $Line = 1
    # UTF-8 on 5.1 and 7 alike (5.1 would otherwise read a file without a BOM in the ANSI code page).
    foreach ($Record in @(Import-Csv -Path $CsvPath -Encoding UTF8)) {
        $Line++
        try { $Id = ([guid] $Record.Id).ToString() } catch { throw "${CsvPath}, line ${Line}: '$($Record.Id)' is not a uuid (the file needs a column named Id)." }
        if ($Seen.ContainsKey($Id)) {
            Write-Warning "${CsvPath}, line ${Line}: $Id is listed again; it is reset once, as its first row says."
            continue
        }
        $Seen[$Id] = $true
        # A new key per row; a row of a .remaining.csv file keeps the key its last run sent.
        $Key = [guid]::NewGuid().ToString()
        if (Select-Text $Record.IdempotencyKey) {
            try { $Key = ([guid] $Record.IdempotencyKey.Trim()).ToString() } catch { throw "${CsvPath}, line ${Line}: the IdempotencyKey '$($Record.IdempotencyKey)' is not a GUID." }
        }
        $Rows += [pscustomobject]@{
            Id     = $Id
            Reason = Select-Text $Record.Reason $Reason
            Ticket = Select-Text $Record.Ticket $Ticket
            Key    = $Key
            Line   = $Line
            Record = $Record
        }
    }
    if ($Rows.Count -eq 0) { throw "No ids in $CsvPath (it needs a column named Id)." }
} else {
    $Rows = @([pscustomobject]@{
            Id     = $UserId.ToString()
            Reason = Select-Text $Reason
            Ticket = Select-Text $Ticket
            Key    = [guid]::NewGuid().ToString()
            Line   = 0
            Record = $null
        })
}
foreach ($Row in $Rows) {
    $Where = if ($Row.Line -gt 0) { "${CsvPath}, line $($Row.Line)" } else { 'The reset' }
    Assert-Justification $Row.Reason 'reason' 500 $Where
    Assert-Justification $Row.Ticket 'ticket' 100 $Where
}
$Targets = @($Rows | ForEach-Object { $_.Id })

if (-not $ApiKey -and -not $Login) { throw 'Give -Login (and sign in), or -ApiKey (or $env:MFA_ADMIN_API_KEY).' }
if ($ApiKey -and $MfaCode -and $Rows.Count -gt 1) {
    # With an API key a code proves the one call that carries it (the key has no session).
    throw 'With -ApiKey, -MfaCode proves one reset only: use a key with the step-up grant for a CSV file, or sign in with -Login.'
}

if (-not $ApiKey -and -not $Password) {
    $Secure = Read-Host -Prompt "Password for $Login" -AsSecureString
    # NetworkCredential reads a SecureString the same way on 5.1 and on 7 (Windows, Linux, macOS);
    # Marshal.PtrToStringAuto returns a single character on PowerShell 7 for Linux and macOS.
    $Password = [System.Net.NetworkCredential]::new('', $Secure).Password
}
if (-not $ApiKey -and -not $MfaCode) { $MfaCode = Read-Host -Prompt 'Current MFA code' }

function Read-Problem($ErrorRecord) {
    # The service answers RFC 9457 problem details; $null when the answer held none.
    $Body = $ErrorRecord.ErrorDetails.Message
    if (-not $Body) { return $null }
    try { return ($Body | ConvertFrom-Json) } catch { return $null }
}

function Format-Problem($ErrorRecord) {
    # Title, detail and trace id of a problem answer; else the error's own message.
    $Problem = Read-Problem $ErrorRecord
    if ($Problem -and $Problem.status) {
        return "$($Problem.status) $($Problem.title): $($Problem.detail) (traceId $($Problem.traceId))"
    }
    return $ErrorRecord.Exception.Message
}

function Show-Problem($ErrorRecord) {
    Write-Error (Format-Problem $ErrorRecord)
}

function Get-RetryAfter($ErrorRecord) {
    # The Retry-After header: a WebHeaderCollection on 5.1, HttpResponseHeaders on 7; else the
    # problem's details.retryAfterSeconds.
    $Response = $ErrorRecord.Exception.Response
    if ($Response -and $Response.Headers) {
        if ($Response.Headers -is [System.Net.WebHeaderCollection]) {
            $Value = $Response.Headers['Retry-After']
            if ($Value) { return $Value }
        } else {
            $Values = $null
            if ($Response.Headers.TryGetValues('Retry-After', [ref] $Values)) { return (@($Values) -join ', ') }
        }
    }
    $Problem = Read-Problem $ErrorRecord
    if ($Problem -and $Problem.details -and $Problem.details.retryAfterSeconds) { return [string] $Problem.details.retryAfterSeconds }
    return $null
}

function Test-TransportError($Exception) {
    # No answer at all: connection refused or reset, a timeout, a name that did not resolve.
    # (HttpRequestException is named, not typed: 5.1 may not have loaded System.Net.Http.)
    for ($E = $Exception; $E; $E = $E.InnerException) {
        if ($E -is [System.Net.WebException] -or $E -is [System.IO.IOException] -or
            $E -is [System.TimeoutException] -or $E -is [System.OperationCanceledException] -or
            $E -is [System.Net.Sockets.SocketException] -or
            $E.GetType().FullName -eq 'System.Net.Http.HttpRequestException') { return $true }
    }
    return $false
}

function Invoke-Reset([string] $Id, [string] $Json, [string] $Key) {
    # One reset under its own Idempotency-Key (a GUID), sent again with the same key and the
    # same bytes on a network error, a 5xx or a 409 (the first call still under way). Answers
    # @{ Result = <answer> } or @{ Error = <ErrorRecord>; Status = <int>; RetryAfter = <string> }.
    $RowHeaders = $Headers.Clone()
    $RowHeaders['Idempotency-Key'] = $Key
    $Request = @{
        Method     = 'PUT'
        Uri        = "$BaseUrl/api/v1/ManagedAccount/ResetMFA/$Id"
        Headers    = $RowHeaders
        WebSession = $WebSession
    }
    if ($Json) {
        # UTF-8 bytes: Windows PowerShell 5.1 sends a string -Body as ISO-8859-1 whatever the
        # charset says, and a reason beyond ASCII would not arrive.
        [byte[]] $Bytes = [System.Text.Encoding]::UTF8.GetBytes($Json)
        $Request['Body'] = $Bytes
        $Request['ContentType'] = 'application/json; charset=utf-8'
    }
    for ($Attempt = 0; ; $Attempt++) {
        try {
            $Result = Invoke-RestMethod @Request
            return @{ Result = $Result }
        } catch {
            $Failure = $_
            $Status = 0
            if ($Failure.Exception.Response) { $Status = [int] $Failure.Exception.Response.StatusCode }
            $Retryable = ($Status -ge 500 -or $Status -eq 409 -or
                ($Status -eq 0 -and (Test-TransportError $Failure.Exception)))
            if (-not $Retryable -or $Attempt -ge $MaxRetries) {
                return @{ Error = $Failure; Status = $Status; RetryAfter = (Get-RetryAfter $Failure) }
            }
            $Wait = $RetryWaitSeconds * ($Attempt + 1)
            Write-Warning "Reset of ${Id}: $(Format-Problem $Failure); trying again in $Wait s with the same Idempotency-Key ($($Attempt + 1) of $MaxRetries)."
            Start-Sleep -Seconds $Wait
        }
    }
}

function Close-Session {
    if (-not $ApiKey) { Invoke-RestMethod -Method POST -Uri "$BaseUrl/signout" -Headers $Headers -WebSession $WebSession | Out-Null }
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
        Close-Session
        Write-Error "No such user: $($Missing -join ', '). Nothing was reset."
        exit 1
    }
    $Names = ($Found | ForEach-Object { "$($_.userName) ($($_.id), MFA on: $($_.mfaEnabled))" }) -join ', '
    if (-not $PSCmdlet.ShouldProcess($Names, 'Reset MFA')) {
        Close-Session
        return
    }

    # One call per user, in the order given; the first failure stops the run.
    $Done = @()
    $Stop = $null
    $StoppedAt = -1
    for ($I = 0; $I -lt $Rows.Count; $I++) {
        $Row = $Rows[$I]
        $Answer = Invoke-Reset -Id $Row.Id -Json (ConvertTo-ResetJson $Row.Reason $Row.Ticket) -Key $Row.Key
        if ($Answer.Error) {
            $Stop = $Answer
            $StoppedAt = $I
            break
        }
        $Result = $Answer.Result
        $Done += $Row
        Write-Host "MFA reset for $($Result.userName) ($($Result.id); was enabled: $($Result.mfaWasEnabled); sessions ended: $($Result.sessionsRevoked))."
        if ($Result.enrollmentCode) {
            Write-Host "  Enrolment code for $($Result.userName): $($Result.enrollmentCode) (expires $($Result.enrollmentCodeExpiresAt)); give it to the user over a channel you trust."
        }
        [pscustomobject]@{
            Id                      = $Result.id
            UserName                = $Result.userName
            MfaWasEnabled           = $Result.mfaWasEnabled
            SessionsRevoked         = $Result.sessionsRevoked
            Reason                  = $Row.Reason
            Ticket                  = $Row.Ticket
            EnrollmentCode          = $Result.enrollmentCode
            EnrollmentCodeExpiresAt = $Result.enrollmentCodeExpiresAt
        }
    }

    Write-Host "Summary: $($Done.Count) of $($Rows.Count) user(s) reset."
    if (-not $Stop) {
        Close-Session
        exit 0
    }

    # The row that failed and every row after it. A refusal (4xx) changed nothing; after the
    # retries of a network error, a 5xx or a 409 the service may have reset the failed row.
    $NotDone = @($Rows[$StoppedAt..($Rows.Count - 1)])
    if ($Done.Count -gt 0) { Write-Host "Reset: $(($Done | ForEach-Object { $_.Id }) -join ', ')" }
    Write-Host "Not reset: $($NotDone.Count) user(s), from $($NotDone[0].Id) on."
    if ($Stop.Status -eq 0 -or $Stop.Status -ge 500 -or $Stop.Status -eq 409) {
        Write-Host "Whether $($NotDone[0].Id) was reset is not known: sent again with its Idempotency-Key $($NotDone[0].Key) within 24 hours, it is answered, not reset twice."
    }
    if ($PSCmdlet.ParameterSetName -eq 'Csv') {
        $Remaining = [System.IO.Path]::ChangeExtension($CsvPath, '.remaining.csv')
        # Each row with the Idempotency-Key it was sent with: a row whose answer was lost (the
        # service may have reset it) is answered, not reset again, when sent with it (24 hours).
        $NotDone | ForEach-Object {
            $Copy = [ordered]@{}
            foreach ($Property in $_.Record.PSObject.Properties) { $Copy[$Property.Name] = $Property.Value }
            $Copy['Reason'] = $_.Reason
            $Copy['Ticket'] = $_.Ticket
            $Copy['IdempotencyKey'] = $_.Key
            [pscustomobject] $Copy
        } | Export-Csv -Path $Remaining -NoTypeInformation -Encoding UTF8 -Confirm:$false -WhatIf:$false
        Write-Host "The rows not reset are in $Remaining; run the script with it to go on."
    }
    Close-Session
    if ($Stop.Status -eq 429) {
        # The reset budget: nothing was reset by this call; the service says when to go on.
        $After = if ($Stop.RetryAfter) { "$($Stop.RetryAfter) seconds" } else { 'a while' }
        Write-Warning "Stopped by the reset budget ($(Format-Problem $Stop.Error)). Retry-After: $After."
        exit 2
    }
    Write-Warning "Stopped at $($NotDone[0].Id): $(Format-Problem $Stop.Error)"
    exit 1
} catch {
    Show-Problem $_
    exit 1
}
