<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>ApprovalQueue</name>
    <message>
        <source>等待</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <source>申请</source>
        <translation>Application</translation>
    </message>
    <message>
        <source>客户</source>
        <translation>Customer</translation>
    </message>
    <message>
        <source>额度（元）</source>
        <translation>Line (¥)</translation>
    </message>
    <message>
        <source>经办</source>
        <translation>Teller</translation>
    </message>
    <message>
        <source>批准</source>
        <translation>Approve</translation>
    </message>
    <message>
        <source>拒绝…</source>
        <translation>Reject…</translation>
    </message>
    <message>
        <source>{0} 分钟</source>
        <translation>{0} min</translation>
    </message>
    <message>
        <source>申请 {0} 的依据：</source>
        <translation>Application {0} rests on:</translation>
    </message>
    <message>
        <source>申请 {0} 已批准，协议号 {1}</source>
        <translation>Application {0} approved, agreement {1}</translation>
    </message>
    <message>
        <source>申请 {0} 已拒绝</source>
        <translation>Application {0} rejected</translation>
    </message>
</context>
<context>
    <name>AuthorizeDialog</name>
    <message>
        <source>额度超出所有角色的审批权限</source>
        <translation>The line is above every role&apos;s approval authority</translation>
    </message>
    <message>
        <source>或</source>
        <translation> or </translation>
    </message>
    <message>
        <source>需{0}授权</source>
        <translation>Needs a {0} to approve</translation>
    </message>
    <message>
        <source>{0}权限至 {1} 元</source>
        <translation>a {0} may approve up to ¥{1}</translation>
    </message>
    <message>
        <source>；</source>
        <translation>; </translation>
    </message>
    <message>
        <source>（{0}）</source>
        <translation> ({0})</translation>
    </message>
    <message>
        <source>主管授权</source>
        <translation>Supervisor approval</translation>
    </message>
    <message>
        <source>申请 {0}：{3}
额度 {1} 元，年利率 {2}%，经办 {4}</source>
        <translation>Application {0}: {3}
Line ¥{1} at {2}% a year, teller {4}</translation>
    </message>
    <message>
        <source>主管登录名</source>
        <translation>Supervisor&apos;s login</translation>
    </message>
    <message>
        <source>主管密码</source>
        <translation>Supervisor&apos;s password</translation>
    </message>
    <message>
        <source>授权批准</source>
        <translation>Approve</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>正在核验…</source>
        <translation>Checking…</translation>
    </message>
</context>
<context>
    <name>BatchChooser</name>
    <message>
        <source>选择批次</source>
        <translation>Choose a batch</translation>
    </message>
    <message>
        <source>活动 {0} 有 {1} 个批次待审批（最新的在前）：上下键选择，Enter 打开，Esc 取消</source>
        <translation>Campaign {0} has {1} batches waiting (newest first): Up/Down to choose, Enter to open, Esc to cancel</translation>
    </message>
    <message>
        <source>批次 {0}&#x3000;{1} 提交于 {2}&#x3000;{3} 件，待审批 {4} 件</source>
        <translation>Batch {0}&#x3000;submitted by {1} at {2}&#x3000;{3} applications, {4} waiting</translation>
    </message>
</context>
<context>
    <name>BatchDialog</name>
    <message>
        <source>行号</source>
        <translation>Line</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>Resident ID</translation>
    </message>
    <message>
        <source>额度（元）</source>
        <translation>Line (¥)</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>提示</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>提交批次 {0}</source>
        <translation>Batch {0}</translation>
    </message>
    <message>
        <source>正在读取批次 {0}…</source>
        <translation>Reading batch {0}…</translation>
    </message>
    <message>
        <source>拒绝原因（客户将看到）：输入后按 Enter，Esc 取消</source>
        <translation>Reason for rejecting (the customer reads it): Enter rejects, Esc cancels</translation>
    </message>
    <message>
        <source>↑↓ 选择 · A 一步审批权限内的 · R 拒绝所选 · Esc 关闭</source>
        <translation>↑↓ choose · A approve those within your authority · R reject the chosen · Esc close</translation>
    </message>
    <message>
        <source>审批 (A)</source>
        <translation>Approve (A)</translation>
    </message>
    <message>
        <source>拒绝 (R)</source>
        <translation>Reject (R)</translation>
    </message>
    <message>
        <source>关闭 (Esc)</source>
        <translation>Close (Esc)</translation>
    </message>
    <message>
        <source>批次 {0} · 活动 {1} · {2} 于 {3} 提交</source>
        <translation>Batch {0} · campaign {1} · submitted by {2} at {3}</translation>
    </message>
    <message>
        <source>共 {0} 件，合计 {1} 元；待审批 {2} 件</source>
        <translation>{0} applications, ¥{1} in all; {2} waiting</translation>
    </message>
    <message>
        <source>需注意（排在前面）：{0}</source>
        <translation>Exceptions (listed first): {0}</translation>
    </message>
    <message>
        <source>您的审批权限 {0} 元：可一步审批 {1} 件，合计 {2} 元</source>
        <translation>Your authority ¥{0}: {1} approvable in one step, ¥{2} in all</translation>
    </message>
    <message>
        <source>这是您提交的批次：经办人不能审批自己提交的批次（四眼原则），请由另一位有审批权限的人员审批</source>
        <translation>You submitted this batch: its maker cannot decide it (four eyes); another approver must</translation>
    </message>
    <message>
        <source>您的角色没有审批权限，只能查看</source>
        <translation>Your role has no approval authority: view only</translation>
    </message>
    <message>
        <source>拒绝原因：{0}</source>
        <translation>Rejected: {0}</translation>
    </message>
    <message>
        <source>申请 {0}</source>
        <translation>Application {0}</translation>
    </message>
    <message>
        <source>{0} 元</source>
        <translation>¥{0}</translation>
    </message>
    <message>
        <source>审批人 {0}</source>
        <translation>checker {0}</translation>
    </message>
    <message>
        <source>没有可一步审批的申请（需注意的请逐件处理）</source>
        <translation>Nothing to approve in one step (decide the exceptions one by one)</translation>
    </message>
    <message>
        <source>一步审批 {0} 件，合计 {1} 元？按 Y 确认，Esc 取消</source>
        <translation>Approve {0}, ¥{1} in all? Y approves, Esc cancels</translation>
    </message>
    <message>
        <source>申请 {0} 已{1}，不能再拒绝</source>
        <translation>Application {0} is {1} already: it cannot be rejected</translation>
    </message>
    <message>
        <source>请输入拒绝原因（客户将看到）</source>
        <translation>Type the reason (the customer reads it)</translation>
    </message>
</context>
<context>
    <name>CampaignDialog</name>
    <message>
        <source>新建客群活动</source>
        <translation>New group campaign</translation>
    </message>
    <message>
        <source>一组、二组、三组</source>
        <translation>Group 1, Group 2, Group 3</translation>
    </message>
    <message>
        <source>可不填</source>
        <translation>optional</translation>
    </message>
    <message>
        <source>指标按授信人数计（默认按签约）(&amp;R)</source>
        <translation>Target counts granted, not signed (&amp;R)</translation>
    </message>
    <message>
        <source>场景(&amp;S)</source>
        <translation>Scenario (&amp;S)</translation>
    </message>
    <message>
        <source>村民小组(&amp;V)</source>
        <translation>Village groups (&amp;V)</translation>
    </message>
    <message>
        <source>活动代码(&amp;C)</source>
        <translation>Campaign code (&amp;C)</translation>
    </message>
    <message>
        <source>负责网点(&amp;B)</source>
        <translation>Owning branch (&amp;B)</translation>
    </message>
    <message>
        <source>开始日期(&amp;F)</source>
        <translation>From (&amp;F)</translation>
    </message>
    <message>
        <source>结束日期(&amp;T)</source>
        <translation>To (&amp;T)</translation>
    </message>
    <message>
        <source>指标人数(&amp;I)</source>
        <translation>Target, people (&amp;I)</translation>
    </message>
    <message>
        <source>新建 (Enter)</source>
        <translation>Create (Enter)</translation>
    </message>
    <message>
        <source>取消 (Esc)</source>
        <translation>Cancel (Esc)</translation>
    </message>
    <message>
        <source>{0}名称(&amp;G)</source>
        <translation>{0} name (&amp;G)</translation>
    </message>
    <message>
        <source>统一社会信用代码(&amp;U)</source>
        <translation>Unified social credit code (&amp;U)</translation>
    </message>
    <message>
        <source>（必填）</source>
        <translation> (required)</translation>
    </message>
    <message>
        <source>（选填）</source>
        <translation> (optional)</translation>
    </message>
</context>
<context>
    <name>CampaignsWorkspace</name>
    <message>
        <source>名单文件 (*.xlsx *.csv *.xls);;所有文件 (*)</source>
        <translation>Rosters (*.xlsx *.csv *.xls);;All files (*)</translation>
    </message>
    <message>
        <source>签约名单 (*.csv *.txt);;所有文件 (*)</source>
        <translation>Signing lists (*.csv *.txt);;All files (*)</translation>
    </message>
    <message>
        <source>收银记录 (*.xlsx *.csv *.xls);;所有文件 (*)</source>
        <translation>Till records (*.xlsx *.csv *.xls);;All files (*)</translation>
    </message>
    <message>
        <source>活动代码</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>场景</source>
        <translation>Scenario</translation>
    </message>
    <message>
        <source>客群</source>
        <translation>Group</translation>
    </message>
    <message>
        <source>网点</source>
        <translation>Branch</translation>
    </message>
    <message>
        <source>活动期</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>成员</source>
        <translation>Members</translation>
    </message>
    <message>
        <source>指标</source>
        <translation>Target</translation>
    </message>
    <message>
        <source>额度段（元）</source>
        <translation>Band (yuan)</translation>
    </message>
    <message>
        <source>可授人数</source>
        <translation>Now</translation>
    </message>
    <message>
        <source>可授额度</source>
        <translation>¥ now</translation>
    </message>
    <message>
        <source>调查后人数</source>
        <translation>Surveyed</translation>
    </message>
    <message>
        <source>调查后额度</source>
        <translation>¥ surveyed</translation>
    </message>
    <message>
        <source>正在读取客群活动…</source>
        <translation>Reading the campaigns…</translation>
    </message>
    <message>
        <source>不需调查即可授信的人数和额度（元）</source>
        <translation>People and yuan grantable without a survey</translation>
    </message>
    <message>
        <source>完成调查后可授信的人数和额度（元）</source>
        <translation>People and yuan grantable once surveyed</translation>
    </message>
    <message>
        <source>概况</source>
        <translation>Overview</translation>
    </message>
    <message>
        <source>成员名单</source>
        <translation>Roster</translation>
    </message>
    <message>
        <source>新建 (N)</source>
        <translation>New (N)</translation>
    </message>
    <message>
        <source>导入名单 (I)</source>
        <translation>Import roster (I)</translation>
    </message>
    <message>
        <source>结束活动 (C)</source>
        <translation>Close (C)</translation>
    </message>
    <message>
        <source>提交审批 (S)</source>
        <translation>Submit (S)</translation>
    </message>
    <message>
        <source>批次 (B)</source>
        <translation>Batch (B)</translation>
    </message>
    <message>
        <source>录入 (G)</source>
        <translation>Entry (G)</translation>
    </message>
    <message>
        <source>通知书 (L)</source>
        <translation>Letters (L)</translation>
    </message>
    <message>
        <source>登记签约 (Q)</source>
        <translation>Signed (Q)</translation>
    </message>
    <message>
        <source>逐人签约 (K)</source>
        <translation>Sign one (K)</translation>
    </message>
    <message>
        <source>收银记录 (T)</source>
        <translation>Tills (T)</translation>
    </message>
    <message>
        <source>↑↓ 选择成员 · Enter 打开客户卡片 · Esc 回到活动列表</source>
        <translation>↑↓ choose a member · Enter opens the customer&apos;s card · Esc back to the campaigns</translation>
    </message>
    <message>
        <source>↑↓ 选择 · Enter 成员 · 1–8 按列排序
N 新建 · I 导入名单 · C 结束活动 · S 提交审批 · B 批次 · G 录入
L 通知书 · Q 登记签约 · K 逐人签约 · T 收银记录 · F7 刷新</source>
        <translation>↑↓ choose · Enter members · 1–8 sort
N new · I roster · C close · S submit · B batch · G entry
L letters · Q signed · K sign one · T tills · F7 refresh</translation>
    </message>
    <message>
        <source>客群活动未能读取</source>
        <translation>The campaigns could not be read</translation>
    </message>
    <message>
        <source>客群活动 {0} 个，其中进行中 {1} 个</source>
        <translation>{0} campaigns, {1} open</translation>
    </message>
    <message>
        <source>还没有客群活动：按 N 新建</source>
        <translation>No campaigns yet: N makes one</translation>
    </message>
    <message>
        <source>正在读取 {0}…</source>
        <translation>Reading {0}…</translation>
    </message>
    <message>
        <source>活动 {0} 未能读取</source>
        <translation>The campaign {0} could not be read</translation>
    </message>
    <message>
        <source>网点 {0} · {1} 至 {2} · {3}</source>
        <translation>Branch {0} · {1} to {2} · {3}</translation>
    </message>
    <message>
        <source>授信</source>
        <translation>granted</translation>
    </message>
    <message>
        <source>签约</source>
        <translation>signed</translation>
    </message>
    <message>
        <source>指标 {0} 人（按{1}人数）</source>
        <translation>Target {0} people ({1})</translation>
    </message>
    <message>
        <source>村民小组：{0}</source>
        <translation>Village groups: {0}</translation>
    </message>
    <message>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <source>最近名单：{0}，{1} 行，{2} 于 {3} 导入</source>
        <translation>Latest roster: {0}, {1} rows, loaded by {2} at {3}</translation>
    </message>
    <message>
        <source>尚未导入名单：按 I 导入</source>
        <translation>No roster yet: I imports one</translation>
    </message>
    <message>
        <source>，</source>
        <translation>, </translation>
    </message>
    <message>
        <source>成员 {0}：{1}</source>
        <translation>Members {0}: {1}</translation>
    </message>
    <message>
        <source>同时在其他活动中 {0} 人（额度按人只计一次）</source>
        <translation>Also on other campaigns: {0} (a line counts once per person)</translation>
    </message>
    <message>
        <source>测算日 {0}：待授信 {1} 人，其中可授信 {2}；已持有或在审预授信 {3} 人，额度 {4} 元</source>
        <translation>As of {0}: {1} to decide, {2} of them eligible; {3} already holding or awaiting a pre-credit, ¥{4}</translation>
    </message>
    <message>
        <source>成员名单 ({0})</source>
        <translation>Roster ({0})</translation>
    </message>
    <message>
        <source>已授信额度 {0} 元，已签约额度 {1} 元</source>
        <translation>Granted lines ¥{0}, signed lines ¥{1}</translation>
    </message>
    <message>
        <source>已授信</source>
        <translation>granted</translation>
    </message>
    <message>
        <source>指标 {0}：{1} {2} 人，完成 {3}（与考核同口径）</source>
        <translation>Indicator {0}: {1} {2} people, {3} done (counted as the KPIs count it)</translation>
    </message>
    <message>
        <source>进度（{0}，按人计）</source>
        <translation>Progress ({0}, by person)</translation>
    </message>
    <message>
        <source>第{0}行</source>
        <translation>Line {0}</translation>
    </message>
    <message>
        <source>评议 {0}</source>
        <translation>Evaluation {0}</translation>
    </message>
    <message>
        <source>原因：{0}</source>
        <translation>Reason: {0}</translation>
    </message>
    <message>
        <source>已新建活动 {0}</source>
        <translation>Campaign {0} created</translation>
    </message>
    <message>
        <source>活动 {0} 已结束</source>
        <translation>The campaign {0} is closed</translation>
    </message>
    <message>
        <source>结束活动</source>
        <translation>Close the campaign</translation>
    </message>
    <message>
        <source>结束活动 {0}（{1}）？</source>
        <translation>Close the campaign {0} ({1})?</translation>
    </message>
    <message>
        <source>结束后该活动不再接收名单，也不能重新开启；成员与记录保留。</source>
        <translation>A closed campaign takes no roster and cannot be opened again; its members and records are kept.</translation>
    </message>
    <message>
        <source>结束活动(&amp;Y)</source>
        <translation>Close it (&amp;Y)</translation>
    </message>
    <message>
        <source>取消 (Esc)</source>
        <translation>Cancel (Esc)</translation>
    </message>
    <message>
        <source>已结束活动 {0}，不再接收名单</source>
        <translation>Campaign {0} closed; it takes no roster</translation>
    </message>
    <message>
        <source>活动 {0} 已结束，不再接收名单</source>
        <translation>The campaign {0} is closed; it takes no roster</translation>
    </message>
    <message>
        <source>选择 {0} 的名单文件</source>
        <translation>The roster for {0}</translation>
    </message>
    <message>
        <source>活动 {0} 已结束，不再出具通知书</source>
        <translation>Campaign {0} is closed: no more letters</translation>
    </message>
    <message>
        <source>选择 {0} 已签约成员的名单</source>
        <translation>Choose the list of {0}&apos;s members who signed</translation>
    </message>
    <message>
        <source>登记签约</source>
        <translation>Record signatures</translation>
    </message>
    <message>
        <source>活动 {0} ← {1}</source>
        <translation>Campaign {0} ← {1}</translation>
    </message>
    <message>
        <source>正在逐人登记签约…</source>
        <translation>Recording the signatures one by one…</translation>
    </message>
    <message>
        <source>活动 {0}：登记签约 {1} 人，未登记 {2} 人</source>
        <translation>Campaign {0}: {1} signatures recorded, {2} not</translation>
    </message>
    <message>
        <source>已签约</source>
        <translation>signed</translation>
    </message>
    <message>
        <source>提交批次 {0} 个，待审批 {1} 件：按 B 查看批次</source>
        <translation>{0} batches, {1} waiting: B shows them</translation>
    </message>
    <message>
        <source>未登记任何签约</source>
        <translation>No signature was recorded</translation>
    </message>
    <message>
        <source>收银记录只用于整市场活动；{0} 不是</source>
        <translation>Till records are for market campaigns only; {0} is not one</translation>
    </message>
    <message>
        <source>活动 {0} 已结束，不再接收收银记录</source>
        <translation>Campaign {0} is closed: no more till records</translation>
    </message>
    <message>
        <source>选择 {0} 的收银记录</source>
        <translation>Choose the till records for {0}</translation>
    </message>
    <message>
        <source>收银记录</source>
        <translation>Till records</translation>
    </message>
    <message>
        <source>正在读取、核对并保存收银记录…（一个事务：全部保存或完全不保存）</source>
        <translation>Reading, checking and saving the till records… (one transaction: all saved or none)</translation>
    </message>
    <message>
        <source>活动 {0} 已导入收银记录：{1} 行，商户 {2} 户共 {3} 个月，有变化 {4} 户，未通过 {5} 行</source>
        <translation>Campaign {0}: till records loaded: {1} rows, {2} merchants, {3} months, {4} changed, {5} rows refused</translation>
    </message>
    <message>
        <source>收银记录未导入；成员的收银记录不变</source>
        <translation>The till records were not loaded; the members&apos; records are unchanged</translation>
    </message>
    <message>
        <source>活动 {0} 已结束，不能提交</source>
        <translation>Campaign {0} is closed: nothing can be submitted</translation>
    </message>
    <message>
        <source>活动 {0} 尚无提交批次：按 S 提交成员</source>
        <translation>Campaign {0} has no batch yet: S submits its members</translation>
    </message>
    <message>
        <source>批次 {0}：已批准 {1} 件，合计 {2} 元；留待他人或逐件处理 {3} 件</source>
        <translation>Batch {0}: {1} approved, ¥{2} in all; {3} left for another approver or one by one</translation>
    </message>
    <message>
        <source>批次 {0}：已拒绝申请 {1}</source>
        <translation>Batch {0}: application {1} rejected</translation>
    </message>
    <message>
        <source>{0}：{1} 人 / {2} 元</source>
        <translation>{0}: {1} people / ¥{2}</translation>
    </message>
</context>
<context>
    <name>CardPanel</name>
    <message>
        <source>显示完整信息（记录审计）</source>
        <translation>Show in full (audited)</translation>
    </message>
    <message>
        <source>代发工资</source>
        <translation>Payroll</translation>
    </message>
    <message>
        <source>代扣</source>
        <translation>Withholding</translation>
    </message>
    <message>
        <source>负面清单</source>
        <translation>Negative list</translation>
    </message>
    <message>
        <source>目标名单</source>
        <translation>Targets</translation>
    </message>
    <message>
        <source>预授信</source>
        <translation>Pre-credit</translation>
    </message>
    <message>
        <source>男</source>
        <translation>M</translation>
    </message>
    <message>
        <source>女</source>
        <translation>F</translation>
    </message>
    <message>
        <source>无客户资料</source>
        <translation>No customer record</translation>
    </message>
    <message>
        <source>尚非本行客户</source>
        <translation>Not yet a customer</translation>
    </message>
    <message>
        <source>（可获基础授信）</source>
        <translation>(a base line is possible)</translation>
    </message>
    <message>
        <source>{0}岁</source>
        <translation>{0} years old</translation>
    </message>
    <message>
        <source>手机</source>
        <translation>Mobile</translation>
    </message>
    <message>
        <source>网点</source>
        <translation>Branch</translation>
    </message>
    <message>
        <source>负面清单在列</source>
        <translation>On the negative list</translation>
    </message>
    <message>
        <source>：</source>
        <translation>: </translation>
    </message>
    <message>
        <source>近12个月{n}个月，月均{avg}元</source>
        <translation>{n} of 12 months, ¥{avg} a month</translation>
    </message>
    <message>
        <source>（{0}）</source>
        <translation> ({0})</translation>
    </message>
    <message>
        <source>最近发放 {d}</source>
        <translation>last paid {d}</translation>
    </message>
    <message>
        <source>规律</source>
        <translation>regular</translation>
    </message>
    <message>
        <source>不规律</source>
        <translation>irregular</translation>
    </message>
    <message>
        <source>无</source>
        <translation>none</translation>
    </message>
    <message>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <source>无有效协议</source>
        <translation>no active agreement</translation>
    </message>
    <message>
        <source>近12个月成功{ok}次，失败{failed}次</source>
        <translation>12 months: {ok} paid, {failed} failed</translation>
    </message>
    <message>
        <source>稳定户</source>
        <translation>steady</translation>
    </message>
    <message>
        <source>上次申请</source>
        <translation>last application</translation>
    </message>
    <message>
        <source>元</source>
        <translation> yuan</translation>
    </message>
    <message>
        <source>年利率</source>
        <translation>rate</translation>
    </message>
    <message>
        <source>有效期至</source>
        <translation>valid until</translation>
    </message>
    <message>
        <source>（已过期）</source>
        <translation> (expired)</translation>
    </message>
    <message>
        <source>标签</source>
        <translation>Tags</translation>
    </message>
    <message>
        <source>客户经理</source>
        <translation>Manager</translation>
    </message>
    <message>
        <source>截止</source>
        <translation>by</translation>
    </message>
    <message>
        <source>数据超过2天未更新：</source>
        <translation>Data over 2 days old: </translation>
    </message>
</context>
<context>
    <name>CounterWorkspace</name>
    <message>
        <source>读卡、扫码或输入身份证号（F2）</source>
        <translation>Card, scan or type the ID (F2)</translation>
    </message>
    <message>
        <source>重新打开数据库 (F5)</source>
        <translation>Open the database again (F5)</translation>
    </message>
    <message>
        <source>填写调查表 (F3)</source>
        <translation>Survey (F3)</translation>
    </message>
    <message>
        <source>提交审批 (Ctrl+Enter)</source>
        <translation>Submit (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>主管授权 (F4)</source>
        <translation>Supervisor approval (F4)</translation>
    </message>
    <message>
        <source>预览并打印协议和告知函 (F8)</source>
        <translation>Preview and print (F8)</translation>
    </message>
    <message>
        <source>客户已签字 (F9)</source>
        <translation>Customer signed (F9)</translation>
    </message>
    <message>
        <source>数据库未打开，无法查询</source>
        <translation>The database is not open; cannot look up</translation>
    </message>
    <message>
        <source>请先登录</source>
        <translation>Sign in first</translation>
    </message>
    <message>
        <source>已从剪贴板读取</source>
        <translation>Read from the clipboard</translation>
    </message>
    <message>
        <source>已读取身份证</source>
        <translation>ID card read</translation>
    </message>
    <message>
        <source>柜员系统已推送</source>
        <translation>Sent by the teller system</translation>
    </message>
    <message>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <source>尚缺：</source>
        <translation>Missing: </translation>
    </message>
    <message>
        <source>客户姓名：</source>
        <translation>Customer&apos;s name: </translation>
    </message>
    <message>
        <source>已恢复 {0} 未提交的调查表，请核对后重新勾选客户同意</source>
        <translation>Restored the unsubmitted survey of {0}; check it and tick the consents again</translation>
    </message>
    <message>
        <source>调查表草稿未能保存（内容仍在屏幕上）：</source>
        <translation>Survey draft not saved (still on screen): </translation>
    </message>
    <message>
        <source>未能读取目标名单：</source>
        <translation>Could not read the target lists: </translation>
    </message>
    <message>
        <source>未分配客户经理</source>
        <translation>no officer assigned</translation>
    </message>
    <message>
        <source>客户经理 {0}</source>
        <translation>officer {0}</translation>
    </message>
    <message>
        <source>（名单 {0} · {1}）</source>
        <translation> (list {0} · {1})</translation>
    </message>
    <message>
        <source>本行目标客户：今日已签约，已销号</source>
        <translation>Target customer: signed today, struck</translation>
    </message>
    <message>
        <source>本行目标客户，今日任务：{0}</source>
        <translation>Target customer, today&apos;s task: {0}</translation>
    </message>
    <message>
        <source>本行目标客户：今日无待办任务</source>
        <translation>Target customer: no task today</translation>
    </message>
    <message>
        <source>已提交申请 {0}：额度 {1} 元，年利率 {2}%，等待审批</source>
        <translation>Submitted application {0}: ¥{1} at {2}% a year, awaiting approval</translation>
    </message>
    <message>
        <source>已批准：协议号 {0}，额度 {1} 元，有效期至 {2}</source>
        <translation>Approved: agreement {0}, ¥{1}, valid until {2}</translation>
    </message>
    <message>
        <source>请预览并打印协议 (F8)，客户签字后按 F9 登记</source>
        <translation>Preview and print the agreement (F8); once the customer has signed it, press F9</translation>
    </message>
    <message>
        <source>已签约：协议号 {0}</source>
        <translation>Signed: agreement {0}</translation>
    </message>
    <message>
        <source>：</source>
        <translation>: </translation>
    </message>
    <message>
        <source>申请 {0} {1}{2}</source>
        <translation>Application {0} {1}{2}</translation>
    </message>
    <message>
        <source>（已等 {0}:{1}）</source>
        <translation> (waiting {0}:{1})</translation>
    </message>
    <message>
        <source>（副本{0}）</source>
        <translation> (copy {0})</translation>
    </message>
    <message>
        <source>未能打印：{0}。文书已保存在 {1}，可稍后打印。</source>
        <translation>Not printed: {0}. The documents are kept in {1} to print later.</translation>
    </message>
    <message>
        <source>已送打印机 {0}：{1}</source>
        <translation>Sent to printer {0}: {1}</translation>
    </message>
    <message>
        <source>打印出错：{0}</source>
        <translation>Printing failed: {0}</translation>
    </message>
    <message>
        <source>正在打印…</source>
        <translation>Printing…</translation>
    </message>
    <message>
        <source>您负责</source>
        <translation>yours</translation>
    </message>
    <message>
        <source>协议尚未打印：请先预览并打印 (F8)，客户签字后再按 F9</source>
        <translation>The agreement is not printed yet: preview and print it (F8), then press F9 once the customer has signed</translation>
    </message>
    <message>
        <source>登记客户签字</source>
        <translation>Record the customer&apos;s signature</translation>
    </message>
    <message>
        <source>客户已在打印的预授信协议（协议号 {0}）上签字？</source>
        <translation>Has the customer signed the printed agreement {0}?</translation>
    </message>
    <message>
        <source>已签字 (Enter)</source>
        <translation>Signed (Enter)</translation>
    </message>
    <message>
        <source>尚未签字 (Esc)</source>
        <translation>Not yet (Esc)</translation>
    </message>
    <message>
        <source>柜员系统接口未启动：</source>
        <translation>Teller-system hook not started: </translation>
    </message>
</context>
<context>
    <name>DataJobs</name>
    <message>
        <source>演示数据</source>
        <translation>Demo data</translation>
    </message>
    <message>
        <source>生成并导入一个{n}人的演示县（虚构数据），用于熟悉软件。是否继续？</source>
        <translation>Generate and import a demo county of {n} people (made-up data) to try the program. Continue?</translation>
    </message>
    <message>
        <source>载入演示数据</source>
        <translation>Load demo data</translation>
    </message>
    <message>
        <source>正在生成并导入演示县数据…</source>
        <translation>Generating and importing the demo county…</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>部分文件未能导入：</source>
        <translation>Some files were not imported: </translation>
    </message>
</context>
<context>
    <name>EntryDialog</name>
    <message>
        <source>客群录入 — {0}</source>
        <translation>Group entry — {0}</translation>
    </message>
    <message>
        <source>社区登记</source>
        <translation>Register residents</translation>
    </message>
    <message>
        <source>正在读取成员…</source>
        <translation>Reading the members…</translation>
    </message>
    <message>
        <source>走访调查录入</source>
        <translation>Visit survey entry</translation>
    </message>
    <message>
        <source>直接输入 · Tab/Enter 保留并到下一项 · Shift+Tab 上一项 · Y/N 是否 · 数字选选项 · Esc 撤销本格/关闭 · Ctrl+Tab 登记/录入</source>
        <translation>Type · Tab/Enter keep and next · Shift+Tab back · Y/N yes or no · a number picks · Esc undo cell/close · Ctrl+Tab desk/grid</translation>
    </message>
    <message>
        <source>未能读取成员</source>
        <translation>The members could not be read</translation>
    </message>
    <message>
        <source>{0}：{1} 名成员 · 已保存调查 {2} · 草稿 {3}</source>
        <translation>{0}: {1} members · surveys saved {2} · drafts {3}</translation>
    </message>
    <message>
        <source>第{0}行 {1} 的调查已保存</source>
        <translation>Line {0}: {1}&apos;s survey saved</translation>
    </message>
    <message>
        <source>未保存</source>
        <translation>Not saved</translation>
    </message>
</context>
<context>
    <name>EntryModel</name>
    <message>
        <source>行号</source>
        <translation>Line</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>Resident ID</translation>
    </message>
    <message>
        <source>可授额度</source>
        <translation>¥ now</translation>
    </message>
    <message>
        <source>调查后额度</source>
        <translation>¥ surveyed</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Y 是 · N 否</source>
        <translation>Y yes · N no</translation>
    </message>
    <message>
        <source>不可授信</source>
        <translation>Not eligible</translation>
    </message>
    <message>
        <source>已保存调查</source>
        <translation>Survey saved</translation>
    </message>
    <message>
        <source>草稿</source>
        <translation>Draft</translation>
    </message>
    <message>
        <source>未填</source>
        <translation>Empty</translation>
    </message>
    <message>
        <source>{0}·缺{1}项</source>
        <translation>{0} · {1} missing</translation>
    </message>
    <message>
        <source>待保存</source>
        <translation>To save</translation>
    </message>
</context>
<context>
    <name>Hosted</name>
    <message>
        <source>待审批</source>
        <translation>To approve</translation>
    </message>
    <message>
        <source>今日到店</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>今日任务</source>
        <translation>Today&apos;s tasks</translation>
    </message>
    <message>
        <source>待审批 ({0})</source>
        <translation>To approve ({0})</translation>
    </message>
    <message>
        <source>今日任务 {0} 项</source>
        <translation>Today&apos;s tasks: {0}</translation>
    </message>
    <message>
        <source>今日任务 ({0})</source>
        <translation>Today&apos;s tasks ({0})</translation>
    </message>
    <message>
        <source>客群活动</source>
        <translation>Campaigns</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>已导入</source>
        <translation>loaded</translation>
    </message>
    <message>
        <source>已跳过（此前已导入）</source>
        <translation>skipped (loaded before)</translation>
    </message>
    <message>
        <source>已拒绝</source>
        <translation>refused</translation>
    </message>
    <message>
        <source>导入核心系统数据</source>
        <translation>Import core-banking data</translation>
    </message>
    <message>
        <source>选择夜间数据文件或所在文件夹。每个文件单独导入：要么全部导入，要么完全不导入。</source>
        <translation>Choose the nightly files or their folder. Each file loads on its own: completely or not at all.</translation>
    </message>
    <message>
        <source>选择文件…</source>
        <translation>Files…</translation>
    </message>
    <message>
        <source>选择文件夹…</source>
        <translation>Folder…</translation>
    </message>
    <message>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>行数</source>
        <translation>Rows</translation>
    </message>
    <message>
        <source>导入</source>
        <translation>Loaded</translation>
    </message>
    <message>
        <source>拒绝</source>
        <translation>Refused</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>被拒绝的行（身份证号、手机号已遮蔽）：</source>
        <translation>Refused rows (IDs and phones masked):</translation>
    </message>
    <message>
        <source>行号</source>
        <translation>Line</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>内容</source>
        <translation>Content</translation>
    </message>
    <message>
        <source>导出拒绝行…</source>
        <translation>Export refused rows…</translation>
    </message>
    <message>
        <source>开始导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>注意：以下文件名的日期晚于今天 {0}，请核对文件或本机日期：{1}</source>
        <translation>Note: these files&apos; names date them after today, {0}; check the files or this computer&apos;s date: {1}</translation>
    </message>
    <message>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <source>选择数据文件</source>
        <translation>Choose data files</translation>
    </message>
    <message>
        <source>数据文件 (*.csv *.txt *.dat);;所有文件 (*)</source>
        <translation>Data files (*.csv *.txt *.dat);;All files (*)</translation>
    </message>
    <message>
        <source>选择数据文件夹</source>
        <translation>Choose a data folder</translation>
    </message>
    <message>
        <source>正在导入 {name} （{done:.1f} / {total:.1f} MB）</source>
        <translation>Importing {name} ({done:.1f} / {total:.1f} MB)</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>；</source>
        <translation>; </translation>
    </message>
    <message>
        <source>完成：{n}个文件，{r}行被拒绝，{f}个文件被拒绝。</source>
        <translation>Done: {n} files, {r} rows refused, {f} files refused.</translation>
    </message>
    <message>
        <source>已取消：当前文件未写入任何数据。</source>
        <translation>Cancelled: nothing of the current file was written.</translation>
    </message>
    <message>
        <source>导入失败：程序出错，已写入错误报告</source>
        <translation>Import failed: the program failed; a crash report was written</translation>
    </message>
    <message>
        <source>导入失败：</source>
        <translation>Import failed: </translation>
    </message>
    <message>
        <source>导入失败</source>
        <translation>Import failed</translation>
    </message>
    <message>
        <source>正在取消…</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <source>导出拒绝行</source>
        <translation>Export refused rows</translation>
    </message>
    <message>
        <source>已导出 {n} 行到 {p}</source>
        <translation>Exported {n} rows to {p}</translation>
    </message>
</context>
<context>
    <name>KpiDashboard</name>
    <message>
        <source>授信覆盖率</source>
        <translation>Coverage</translation>
    </message>
    <message>
        <source>签约率</source>
        <translation>Signing rate</translation>
    </message>
    <message>
        <source>用信率</source>
        <translation>Usage rate</translation>
    </message>
    <message>
        <source>用信金额比</source>
        <translation>Drawn / signed</translation>
    </message>
    <message>
        <source>已授信未签约</source>
        <translation>Granted, not signed</translation>
    </message>
    <message>
        <source>已签约未用信</source>
        <translation>Signed, not drawn</translation>
    </message>
    <message>
        <source>已签约</source>
        <translation>Signed</translation>
    </message>
    <message>
        <source>已用信</source>
        <translation>Drawn</translation>
    </message>
    <message>
        <source>持有授信</source>
        <translation>Holding a line</translation>
    </message>
    <message>
        <source>窗口已锁定：解锁后显示考核数据</source>
        <translation>The window is locked: unlock it to see the KPIs</translation>
    </message>
    <message>
        <source>返回上一级</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>客户名单</source>
        <translation>People</translation>
    </message>
    <message>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>统计日</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>全县</source>
        <translation>County</translation>
    </message>
    <message>
        <source>网点</source>
        <translation>Branch</translation>
    </message>
    <message>
        <source>客户经理</source>
        <translation>Officer</translation>
    </message>
    <message>
        <source>活动</source>
        <translation>Campaign</translation>
    </message>
    <message>
        <source>场景</source>
        <translation>Scenario</translation>
    </message>
    <message>
        <source>正在计算…</source>
        <translation>Computing…</translation>
    </message>
    <message>
        <source>正在读取名单…</source>
        <translation>Reading the list…</translation>
    </message>
    <message>
        <source>；每日汇总 {0}</source>
        <translation>; daily sums of {0}</translation>
    </message>
    <message>
        <source>统计日 {0}，授信政策 {1}。</source>
        <translation>Date {0}, credit policy {1}. </translation>
    </message>
    <message>
        <source>{0} / {1} 元</source>
        <translation>{0} / {1} yuan</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>合格</source>
        <translation>Eligible</translation>
    </message>
    <message>
        <source>授信</source>
        <translation>Granted</translation>
    </message>
    <message>
        <source>签约</source>
        <translation>Signed</translation>
    </message>
    <message>
        <source>用信</source>
        <translation>Drawn</translation>
    </message>
    <message>
        <source>指标</source>
        <translation>Indicator</translation>
    </message>
    <message>
        <source>完成率</source>
        <translation>Completion</translation>
    </message>
    <message>
        <source>签约率周变化</source>
        <translation>Signing, week&apos;s change</translation>
    </message>
    <message>
        <source>周次</source>
        <translation>Week</translation>
    </message>
    <message>
        <source>（未分配）</source>
        <translation>(unassigned)</translation>
    </message>
    <message>
        <source>四项指标走势（每周）</source>
        <translation>The four rates, week by week</translation>
    </message>
    <message>
        <source>每周新增（按客户归属）</source>
        <translation>New each week (by the people&apos;s branch)</translation>
    </message>
    <message>
        <source>首次用信</source>
        <translation>First drawn</translation>
    </message>
    <message>
        <source>销号</source>
        <translation>Struck</translation>
    </message>
    <message>
        <source>{0}：共 {1} 人，显示 {2} 人（身份证号已脱敏；回车打开客户卡片）</source>
        <translation>{0}: {1} people, {2} shown (IDs masked; Enter opens the card)</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>Resident ID</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>归属</source>
        <translation>Belongs to</translation>
    </message>
    <message>
        <source>额度（元）</source>
        <translation>Line (¥)</translation>
    </message>
    <message>
        <source>授信日</source>
        <translation>Granted on</translation>
    </message>
    <message>
        <source>签约日</source>
        <translation>Signed on</translation>
    </message>
    <message>
        <source>已用信（元）</source>
        <translation>Drawn (yuan)</translation>
    </message>
</context>
<context>
    <name>KpiWindow</name>
    <message>
        <source>考核看板</source>
        <translation>KPI dashboard</translation>
    </message>
</context>
<context>
    <name>LettersDialog</name>
    <message>
        <source>出具通知书</source>
        <translation>Letters</translation>
    </message>
    <message>
        <source>打印文件存放位置(&amp;F)</source>
        <translation>&amp;Folder for the print files</translation>
    </message>
    <message>
        <source>选择… (F4)</source>
        <translation>Choose… (F4)</translation>
    </message>
    <message>
        <source>同时送打印机 {0}(&amp;P)</source>
        <translation>Also send to &amp;printer {0}</translation>
    </message>
    <message>
        <source>未设置打印机：只生成打印文件</source>
        <translation>No printer set: print files only</translation>
    </message>
    <message>
        <source>按 Enter 开始；中途可按 Esc 取消，再次开始即从中断处继续。</source>
        <translation>Enter starts; Esc cancels, and starting again goes on where it stopped.</translation>
    </message>
    <message>
        <source>开始 (Enter)</source>
        <translation>Start (Enter)</translation>
    </message>
    <message>
        <source>关闭 (Esc)</source>
        <translation>Close (Esc)</translation>
    </message>
    <message>
        <source>打印文件存放位置</source>
        <translation>Folder for the print files</translation>
    </message>
    <message>
        <source>请填写打印文件的存放位置</source>
        <translation>Enter the folder for the print files</translation>
    </message>
    <message>
        <source>取消 (Esc)</source>
        <translation>Cancel (Esc)</translation>
    </message>
    <message>
        <source>正在出具…</source>
        <translation>Issuing…</translation>
    </message>
    <message>
        <source>活动 {0}：为已授信的每位成员出具预授信协议和授信告知函，或只出具其一（每份保存一份），按送达顺序合并为打印文件；有手机号的成员加入短信待发。</source>
        <translation>Campaign {0}: the agreement and the letter, or one of them, for every member granted a line (each kept as a PDF), merged into print files in delivery order; members with a phone get a text queued.</translation>
    </message>
    <message>
        <source>出具文书(&amp;D)</source>
        <translation>&amp;Documents</translation>
    </message>
    <message>
        <source>出具{0}：{1}/{2} 人</source>
        <translation>Issuing {0}: {1}/{2} people</translation>
    </message>
    <message>
        <source>合并打印文件：{0}/{1}</source>
        <translation>Merging print files: {0}/{1}</translation>
    </message>
    <message>
        <source>正在取消：做完当前这一人即停止，已出具的均保存…</source>
        <translation>Cancelling: stops after the current person; everything issued is kept…</translation>
    </message>
    <message>
        <source>继续 (Enter)</source>
        <translation>Go on (Enter)</translation>
    </message>
    <message>
        <source>已授信 {0} 人：本次出具原件 {1} 份、副本 {2} 份，沿用已出具 {3} 份；短信入队 {4} 条</source>
        <translation>{0} people granted: {1} originals and {2} copies (副本) issued now, {3} issued before used; {4} texts queued</translation>
    </message>
    <message>
        <source>打印文件 {0} 个（按送达顺序）→ {1}</source>
        <translation>{0} print files (in delivery order) → {1}</translation>
    </message>
    <message>
        <source>  …另 {0} 个</source>
        <translation>  …and {0} more</translation>
    </message>
    <message>
        <source>已送打印机：{0} 个文件</source>
        <translation>Sent to the printer: {0} files</translation>
    </message>
    <message>
        <source>未出具 {0} 人（不在打印文件中，更正后再按 L 即补出）：</source>
        <translation>Not issued for {0} people (left out of the print files; correct them and press L again):</translation>
    </message>
    <message>
        <source>  第{0}行 {1} {2}：{3}</source>
        <translation>  line {0} {1} {2}: {3}</translation>
    </message>
    <message>
        <source>  …另 {0} 人</source>
        <translation>  … {0} more</translation>
    </message>
    <message>
        <source>未发短信 {0} 人（手机号无效）：</source>
        <translation>No text for {0} people (the phone is not valid):</translation>
    </message>
    <message>
        <source>  第{0}行 {1} {2}</source>
        <translation>  line {0} {1} {2}</translation>
    </message>
    <message>
        <source>未打印：</source>
        <translation>Not printed: </translation>
    </message>
    <message>
        <source>活动 {0}：通知书 {1} 人，原件 {2} 份、副本 {3} 份，打印文件 {4} 个 → {5}</source>
        <translation>Campaign {0}: letters for {1} people, {2} originals, {3} copies, {4} print files → {5}</translation>
    </message>
    <message>
        <source>；未出具 {0} 人</source>
        <translation>; {0} not issued</translation>
    </message>
    <message>
        <source>未出具；已出具的文书均已保存</source>
        <translation>Not issued; every document issued before is kept</translation>
    </message>
</context>
<context>
    <name>ListResultDialog</name>
    <message>
        <source>身份证号</source>
        <translation>Resident ID</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>行号</source>
        <translation>Line</translation>
    </message>
    <message>
        <source>商户</source>
        <translation>Merchant</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>关闭 (Esc)</source>
        <translation>Close (Esc)</translation>
    </message>
</context>
<context>
    <name>LockPage</name>
    <message>
        <source>输入密码解锁</source>
        <translation>Password to unlock</translation>
    </message>
    <message>
        <source>解锁</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <source>切换操作员…</source>
        <translation>Switch operator…</translation>
    </message>
    <message>
        <source>退出当前操作员（记录审计），由另一位操作员登录</source>
        <translation>Sign the locked operator out (audited) so another can sign in</translation>
    </message>
    <message>
        <source>屏幕已锁定，客户信息已隐藏。
仅 {0}（{1}）可以解锁。</source>
        <translation>Locked; customer data is hidden.
Only {0} ({1}) can unlock.</translation>
    </message>
    <message>
        <source>有 {0} 位客户在等待审批，最长已等 {1} 分钟</source>
        <translation>{0} customer(s) waiting for approval, the longest for {1} min</translation>
    </message>
    <message>
        <source>密码错误，请重新输入</source>
        <translation>Wrong password; type it again</translation>
    </message>
    <message>
        <source>正在核验…</source>
        <translation>Checking…</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>创建首个管理员</source>
        <translation>Create the first administrator</translation>
    </message>
    <message>
        <source>操作员登录</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <source>这是首次启动：请创建总行管理员账户，之后用它为柜员和主管开户。</source>
        <translation>First start: create the head-office administrator, then use it to add tellers and supervisors.</translation>
    </message>
    <message>
        <source>登录名</source>
        <translation>Login</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>再次输入</source>
        <translation>Again</translation>
    </message>
    <message>
        <source>新密码</source>
        <translation>New password</translation>
    </message>
    <message>
        <source>创建并登录</source>
        <translation>Create and sign in</translation>
    </message>
    <message>
        <source>登录</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <source>正在打开数据库，打开后自动登录…</source>
        <translation>Opening the database; you will be logged in once it is open…</translation>
    </message>
    <message>
        <source>正在核验…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <source>设置新密码并登录</source>
        <translation>Set the new password and sign in</translation>
    </message>
    <message>
        <source>管理员已重置您的密码：请设置只有您知道的新密码后继续。</source>
        <translation>An administrator reset your password: set a new one that only you know to go on.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>柜面授信助手</source>
        <translation>Teller Assist</translation>
    </message>
    <message>
        <source>没有系统密钥环</source>
        <translation>No system keyring</translation>
    </message>
    <message>
        <source>本机没有可用的系统密钥环服务，无法安全保存数据库密钥。</source>
        <translation>This computer has no system keyring service, so the database key cannot be kept safely.</translation>
    </message>
    <message>
        <source>可以以【演示模式】继续：密钥保存在仅本用户可读的文件中。
演示模式只能用于演示数据，不得录入真实客户信息。

是否以演示模式继续？</source>
        <translation>You can continue in [demo mode]: the key is kept in a file only you can read.
Demo mode is for demo data only; never enter real customers.

Continue in demo mode?</translation>
    </message>
    <message>
        <source>不可授信：</source>
        <translation>Not eligible: </translation>
    </message>
    <message>
        <source>可授信 {0}元，年利率{1}%</source>
        <translation>Line ¥{0} at {1}% a year</translation>
    </message>
    <message>
        <source>柜台</source>
        <translation>Counter</translation>
    </message>
    <message>
        <source>；现有依据支持{0}元（完成调查后可授）</source>
        <translation>; the evidence so far supports ¥{0} once the survey is complete</translation>
    </message>
    <message>
        <source>{0} {1}元，年利率{2}%</source>
        <translation>{0}: ¥{1} at {2}% a year</translation>
    </message>
    <message>
        <source>，有效期至 {0}</source>
        <translation>, valid until {0}</translation>
    </message>
</context>
<context>
    <name>MembersModel</name>
    <message>
        <source>行号</source>
        <translation>Line</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>Resident ID</translation>
    </message>
    <message>
        <source>手机号</source>
        <translation>Mobile</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>评议</source>
        <translation>Evaluation</translation>
    </message>
    <message>
        <source>标记</source>
        <translation>Marks</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>重点户</source>
        <translation>Key household</translation>
    </message>
    <message>
        <source>在编</source>
        <translation>Permanent staff</translation>
    </message>
    <message>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <source>评议人：{0}</source>
        <translation>Evaluated by: {0}</translation>
    </message>
</context>
<context>
    <name>Menus</name>
    <message>
        <source>数据(&amp;D)</source>
        <translation>&amp;Data</translation>
    </message>
    <message>
        <source>导入核心系统数据…</source>
        <translation>Import core-banking data…</translation>
    </message>
    <message>
        <source>载入演示县数据…</source>
        <translation>Load the demo county…</translation>
    </message>
    <message>
        <source>会话(&amp;S)</source>
        <translation>&amp;Session</translation>
    </message>
    <message>
        <source>锁定屏幕</source>
        <translation>Lock the screen</translation>
    </message>
    <message>
        <source>退出登录 / 切换操作员…</source>
        <translation>Sign out / switch operator…</translation>
    </message>
    <message>
        <source>任务(&amp;T)</source>
        <translation>&amp;Tasks</translation>
    </message>
    <message>
        <source>今日任务</source>
        <translation>Today&apos;s tasks</translation>
    </message>
    <message>
        <source>客群活动</source>
        <translation>Campaigns</translation>
    </message>
    <message>
        <source>窗口(&amp;W)</source>
        <translation>&amp;Window</translation>
    </message>
    <message>
        <source>保持在最前</source>
        <translation>Stay on top</translation>
    </message>
    <message>
        <source>管理(&amp;A)</source>
        <translation>&amp;Admin</translation>
    </message>
    <message>
        <source>操作员管理…</source>
        <translation>Operators…</translation>
    </message>
    <message>
        <source>考核(&amp;K)</source>
        <translation>&amp;KPIs</translation>
    </message>
    <message>
        <source>考核看板…</source>
        <translation>KPI dashboard…</translation>
    </message>
</context>
<context>
    <name>OperatorsDialog</name>
    <message>
        <source>操作员管理</source>
        <translation>Operators</translation>
    </message>
    <message>
        <source>登录名</source>
        <translation>Login</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>角色</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>网点</source>
        <translation>Branch</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>所选操作员</source>
        <translation>Selected operator</translation>
    </message>
    <message>
        <source>修改角色</source>
        <translation>Change role</translation>
    </message>
    <message>
        <source>一次性密码</source>
        <translation>One-time password</translation>
    </message>
    <message>
        <source>再次输入</source>
        <translation>Again</translation>
    </message>
    <message>
        <source>重置密码</source>
        <translation>Reset password</translation>
    </message>
    <message>
        <source>停用</source>
        <translation>Disable</translation>
    </message>
    <message>
        <source>重置后旧密码失效，该操作员下次登录须先设置只有本人知道的新密码。</source>
        <translation>After a reset the old password stops working; at the next login the operator must first set a new one only they know.</translation>
    </message>
    <message>
        <source>新增操作员</source>
        <translation>Add an operator</translation>
    </message>
    <message>
        <source>网点号</source>
        <translation>Branch code</translation>
    </message>
    <message>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>新增</source>
        <translation>Add</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>待设新密码</source>
        <translation>Must set a new password</translation>
    </message>
    <message>
        <source>锁定</source>
        <translation>Locked</translation>
    </message>
    <message>
        <source>正常</source>
        <translation>Active</translation>
    </message>
    <message>
        <source>窗口已锁定，请先解锁</source>
        <translation>The window is locked: unlock it first</translation>
    </message>
    <message>
        <source>已新增 {0}</source>
        <translation>Added {0}</translation>
    </message>
    <message>
        <source>已停用 {0}</source>
        <translation>Disabled {0}</translation>
    </message>
    <message>
        <source>已重置 {0} 的密码：请把一次性密码当面告知本人，其下次登录须设置新密码</source>
        <translation>Password of {0} reset: give the one-time password to them in person; they must set a new one at the next login</translation>
    </message>
    <message>
        <source>{0} 的角色已改为 {1}</source>
        <translation>{0} now has the role {1}</translation>
    </message>
</context>
<context>
    <name>OutcomeDialog</name>
    <message>
        <source>登记任务结果</source>
        <translation>Record the outcome</translation>
    </message>
    <message>
        <source>按数字键选择结果：</source>
        <translation>Press a digit for the outcome:</translation>
    </message>
    <message>
        <source>1 已完成</source>
        <translation>1 Done</translation>
    </message>
    <message>
        <source>2 未联系上</source>
        <translation>2 Not reached</translation>
    </message>
    <message>
        <source>3 客户拒绝…</source>
        <translation>3 Declined…</translation>
    </message>
    <message>
        <source>4 已预约…</source>
        <translation>4 Appointment…</translation>
    </message>
    <message>
        <source>客户拒绝的原因（必填）：</source>
        <translation>Why the customer declined (required):</translation>
    </message>
    <message>
        <source>例如：已在他行贷款、暂无资金需求</source>
        <translation>e.g. a loan at another bank, no need for funds now</translation>
    </message>
    <message>
        <source>不再跟进（销号）</source>
        <translation>Do not follow up (strike)</translation>
    </message>
    <message>
        <source>预约日期（当天任务重新出现）：</source>
        <translation>Appointment date (the task comes back that day):</translation>
    </message>
    <message>
        <source>↑↓ 改日期，Enter 确认</source>
        <translation>↑↓ change the date, Enter confirms</translation>
    </message>
    <message>
        <source>确认 (Enter)</source>
        <translation>Confirm (Enter)</translation>
    </message>
    <message>
        <source>取消 (Esc)</source>
        <translation>Cancel (Esc)</translation>
    </message>
    <message>
        <source>这是扫码输入，结果未登记；请关闭本窗口 (Esc) 后再读卡</source>
        <translation>That was a scan: nothing was recorded. Close this window (Esc), then read the card</translation>
    </message>
    <message>
        <source>请填写客户拒绝的原因</source>
        <translation>Write why the customer declined</translation>
    </message>
</context>
<context>
    <name>PrintPreview</name>
    <message>
        <source>打印预览</source>
        <translation>Print preview</translation>
    </message>
    <message>
        <source>{0}（{1}页）</source>
        <translation>{0} ({1} pages)</translation>
    </message>
    <message>
        <source>打印全部 (F8)</source>
        <translation>Print all (F8)</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>RegistrationDesk</name>
    <message>
        <source>18位身份证号</source>
        <translation>18-character resident ID</translation>
    </message>
    <message>
        <source>与身份证上的姓名一致</source>
        <translation>As on the ID card</translation>
    </message>
    <message>
        <source>同意查询征信（按 Y）</source>
        <translation>Consents to the credit inquiry (Y)</translation>
    </message>
    <message>
        <source>同意处理个人信息（按 Y）</source>
        <translation>Consents to personal data processing (Y)</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>Resident ID</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>手机号</source>
        <translation>Mobile</translation>
    </message>
    <message>
        <source>登记 (Enter)</source>
        <translation>Register (Enter)</translation>
    </message>
    <message>
        <source>本行客户</source>
        <translation>Customer</translation>
    </message>
    <message>
        <source>新客户</source>
        <translation>New to the bank</translation>
    </message>
    <message>
        <source>（曾被名单移出，重新登记）</source>
        <translation> (removed by a roster before, registered again)</translation>
    </message>
    <message>
        <source>已登记：第{0}行 {1} {2}，{3}，可授基础额度 {4} 元{5}</source>
        <translation>Registered: line {0} {1} {2}, {3}, base line ¥{4}{5}</translation>
    </message>
    <message>
        <source>本次已登记 {0} 人：</source>
        <translation>Registered now: {0}: </translation>
    </message>
</context>
<context>
    <name>RejectDialog</name>
    <message>
        <source>拒绝申请</source>
        <translation>Reject the application</translation>
    </message>
    <message>
        <source>申请 {0}：{1}
额度 {2} 元，经办 {3}</source>
        <translation>Application {0}: {1}
Line ¥{2}, made by {3}</translation>
    </message>
    <message>
        <source>拒绝原因（柜员和客户会看到）：</source>
        <translation>Reason (the teller and the customer will read it):</translation>
    </message>
    <message>
        <source>确认拒绝</source>
        <translation>Reject</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>请填写拒绝原因</source>
        <translation>Give the reason for the rejection</translation>
    </message>
</context>
<context>
    <name>RosterImportDialog</name>
    <message>
        <source>读取文件</source>
        <translation>Reading the file</translation>
    </message>
    <message>
        <source>逐行核对</source>
        <translation>Checking each row</translation>
    </message>
    <message>
        <source>匹配本行客户</source>
        <translation>Matching the bank&apos;s customers</translation>
    </message>
    <message>
        <source>测算额度</source>
        <translation>Working out the lines</translation>
    </message>
    <message>
        <source>写入成员</source>
        <translation>Saving the members</translation>
    </message>
    <message>
        <source>行号</source>
        <translation>Line</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>Resident ID</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>导入名单</source>
        <translation>Import a roster</translation>
    </message>
    <message>
        <source>活动 {0} ← {1}</source>
        <translation>Campaign {0} ← {1}</translation>
    </message>
    <message>
        <source>正在读取、核对并保存名单…（一个事务：全部保存或完全不保存）</source>
        <translation>Reading, checking and saving the roster… (one transaction: all of it or nothing)</translation>
    </message>
    <message>
        <source>导出未通过的行… (E)</source>
        <translation>Export refused rows… (E)</translation>
    </message>
    <message>
        <source>关闭 (Esc)</source>
        <translation>Close (Esc)</translation>
    </message>
    <message>
        <source>第{0}行 {1} {2}：{3}</source>
        <translation>Line {0} {1} {2}: {3}</translation>
    </message>
    <message>
        <source>{0}{1}…（一个事务：全部保存或完全不保存）</source>
        <translation>{0}{1}… (one transaction: all saved or none)</translation>
    </message>
    <message>
        <source>{0} 行：本行客户 {1}，新客户 {2}，未通过 {3} 行（其中 {4} 人保留为未通过成员）</source>
        <translation>{0} rows: {1} customers, {2} new to the bank, {3} rows refused ({4} of them kept as refused members)</translation>
    </message>
    <message>
        <source>成员：新增 {0}，更新 {1}，未变 {2}，已移出 {3}</source>
        <translation>Members: {0} added, {1} updated, {2} unchanged, {3} removed</translation>
    </message>
    <message>
        <source>可授信 {0}，已持有或在审预授信 {1}（额度按人只计一次）</source>
        <translation>{0} eligible, {1} already holding or awaiting a pre-credit (a line counts once per person)</translation>
    </message>
    <message>
        <source>{0} {1} 未移除：第 {2} 行被拒，请更正后重新导入</source>
        <translation>{0} {1} not removed: line {2} was refused; correct it and load the roster again</translation>
    </message>
    <message>
        <source>…另 {0} 人未移除</source>
        <translation>… {0} more not removed</translation>
    </message>
    <message>
        <source>活动 {0} 已导入名单 {1}：新增 {2}，更新 {3}，未变 {4}，已移出 {5}，未通过 {6} 行</source>
        <translation>Campaign {0} loaded {1}: {2} added, {3} updated, {4} unchanged, {5} removed, {6} rows refused</translation>
    </message>
    <message>
        <source>；未移除 {0} 人</source>
        <translation>; {0} not removed</translation>
    </message>
    <message>
        <source>导出未通过的行</source>
        <translation>Export the refused rows</translation>
    </message>
    <message>
        <source>{0}-未通过的行.xlsx</source>
        <translation>{0}-refused-rows.xlsx</translation>
    </message>
    <message>
        <source>未通过的 {0} 行已导出 → {1}（交回更正后重新导入）</source>
        <translation>{0} refused rows exported → {1} (hand them back; import the corrected roster again)</translation>
    </message>
    <message>
        <source>名单未导入；活动的成员不变</source>
        <translation>Nothing was loaded; the campaign&apos;s members are as they were</translation>
    </message>
</context>
<context>
    <name>Sessions</name>
    <message>
        <source>未设置网点</source>
        <translation>no branch set</translation>
    </message>
    <message>
        <source>{0}（{1}）</source>
        <translation>{0} ({1})</translation>
    </message>
    <message>
        <source>正在打印或导入，完成后再退出登录</source>
        <translation>Printing or importing: sign out once it has finished</translation>
    </message>
</context>
<context>
    <name>SignOneDialog</name>
    <message>
        <source>逐人签约</source>
        <translation>Sign one</translation>
    </message>
    <message>
        <source>活动 {0}：输入已签约成员的身份证号，按 Enter 登记；Esc 关闭。</source>
        <translation>Campaign {0}: type the resident ID of a member who signed, Enter to record it; Esc closes.</translation>
    </message>
    <message>
        <source>身份证号(&amp;I)</source>
        <translation>Resident &amp;ID</translation>
    </message>
    <message>
        <source>身份证号无效：{0}</source>
        <translation>Invalid resident ID: {0}</translation>
    </message>
    <message>
        <source>正在登记…</source>
        <translation>Recording…</translation>
    </message>
    <message>
        <source>{0} {1} 已签约</source>
        <translation>{0} {1} signed</translation>
    </message>
    <message>
        <source>{0} {1} 未登记：{2}</source>
        <translation>{0} {1} not recorded: {2}</translation>
    </message>
</context>
<context>
    <name>Startup</name>
    <message>
        <source>正在打开数据库…</source>
        <translation>Opening the database…</translation>
    </message>
    <message>
        <source>授信政策未载入：</source>
        <translation>Credit policy not loaded: </translation>
    </message>
    <message>
        <source>数据库未打开</source>
        <translation>Database not open</translation>
    </message>
    <message>
        <source>无法打开数据库。</source>
        <translation>The database could not be opened.</translation>
    </message>
    <message>
        <source>【演示模式】</source>
        <translation>[DEMO]</translation>
    </message>
    <message>
        <source>柜面授信助手</source>
        <translation>Teller Assist</translation>
    </message>
    <message>
        <source>【演示模式】数据库：{0}</source>
        <translation>[DEMO] Database: {0}</translation>
    </message>
    <message>
        <source>数据库：{0}</source>
        <translation>Database: {0}</translation>
    </message>
    <message>
        <source>数据库中还没有客户数据。

下一步：由总行人员导入核心系统的夜间数据文件（命令 teller-assist import 文件夹），或生成演示县数据（teller-assist demo-data --out 文件夹）后导入。

之后在上方输入或读取客户身份证号即可查看客户信息。</source>
        <translation>There are no customers in the database yet.

Next: head office imports the nightly core-banking files (teller-assist import FOLDER), or generates a demo county (teller-assist demo-data --out FOLDER) and imports it.

Then type or read a customer&apos;s ID above to see the customer.</translation>
    </message>
    <message>
        <source>已载入客户 {n} 人，最新数据日期 {d}。

请输入或读取客户身份证号（F2）。</source>
        <translation>{n} customers loaded, data as of {d}.

Type or read a customer&apos;s ID (F2).</translation>
    </message>
    <message>
        <source>未设置打印机（打印时选择）</source>
        <translation>No printer set (ask when printing)</translation>
    </message>
    <message>
        <source>数据库连接中断，正在自动重连。已输入的内容保留在屏幕上，恢复后可继续。</source>
        <translation>Database connection lost; reconnecting. What you typed stays on screen; carry on when it is back.</translation>
    </message>
    <message>
        <source>数据库：连接中断</source>
        <translation>Database: connection lost</translation>
    </message>
    <message>
        <source>数据库已重新连接：</source>
        <translation>Database reconnected: </translation>
    </message>
    <message>
        <source>打印机 {0} 就绪</source>
        <translation>Printer {0} ready</translation>
    </message>
    <message>
        <source>打印机不可用：</source>
        <translation>Printer unavailable: </translation>
    </message>
</context>
<context>
    <name>SubmitDialog</name>
    <message>
        <source>提交审批</source>
        <translation>Submit for approval</translation>
    </message>
    <message>
        <source>活动 {0}：提交成员的预授信申请</source>
        <translation>Campaign {0}: submit its members&apos; pre-credit applications</translation>
    </message>
    <message>
        <source>正在逐人测算额度…（尚未提交）</source>
        <translation>Working out each member&apos;s line… (nothing submitted yet)</translation>
    </message>
    <message>
        <source>提交 (Y)</source>
        <translation>Submit (Y)</translation>
    </message>
    <message>
        <source>关闭 (Esc)</source>
        <translation>Close (Esc)</translation>
    </message>
    <message>
        <source>将提交 {0} 人，合计 {1} 元</source>
        <translation>{0} people to submit, ¥{1} in all</translation>
    </message>
    <message>
        <source>其中含完整调查 {0} 人；按基础额度提交、完成调查可提高 {1} 人</source>
        <translation>{0} with a completed survey; {1} at the base line a survey could raise</translation>
    </message>
    <message>
        <source>不提交 {0} 人：{1}</source>
        <translation>{0} left out: {1}</translation>
    </message>
    <message>
        <source>按 Y 提交（一个事务，每件各自留痕），Esc 取消</source>
        <translation>Y submits (one transaction, each application audited), Esc cancels</translation>
    </message>
    <message>
        <source>没有可提交的成员</source>
        <translation>No member to submit</translation>
    </message>
    <message>
        <source>正在提交…（一个事务：全部提交或完全不提交）</source>
        <translation>Submitting… (one transaction: all or nothing)</translation>
    </message>
    <message>
        <source>按 B 查看批次，交另一位有审批权限的人员审批</source>
        <translation>B shows the batch; another approver decides it</translation>
    </message>
    <message>
        <source>活动 {0}：没有成员被提交</source>
        <translation>Campaign {0}: nobody was submitted</translation>
    </message>
    <message>
        <source>活动 {0}：已提交 {1} 人，合计 {2} 元，批次 {3}，待审批</source>
        <translation>Campaign {0}: {1} submitted, ¥{2} in all, batch {3}, waiting for approval</translation>
    </message>
    <message>
        <source>未提交；活动的成员不变</source>
        <translation>Nothing submitted; the members are as they were</translation>
    </message>
</context>
<context>
    <name>SurveyForm</name>
    <message>
        <source>调查表</source>
        <translation>survey</translation>
    </message>
    <message>
        <source>与身份证上的姓名一致</source>
        <translation>As on the ID card</translation>
    </message>
    <message>
        <source>本行没有此人的资料：请按身份证填写姓名，协议上将写明</source>
        <translation>The bank has no record of this person: type the name as on the ID card; the agreement will name them</translation>
    </message>
    <message>
        <source>客户姓名</source>
        <translation>Customer&apos;s name</translation>
    </message>
    <message>
        <source>（按 Y）</source>
        <translation> (Y)</translation>
    </message>
    <message>
        <source>按 Y 或 N</source>
        <translation>press Y or N</translation>
    </message>
    <message>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>否</source>
        <translation>No</translation>
    </message>
    <message>
        <source>按 1–{0}</source>
        <translation>press 1–{0}</translation>
    </message>
    <message>
        <source>{m}（预留号码，与客户核对；如有变更请输入新号码）</source>
        <translation>{m} (on file; check with the customer, type a new one if it changed)</translation>
    </message>
</context>
<context>
    <name>TasksWorkspace</name>
    <message>
        <source>任务</source>
        <translation>Task</translation>
    </message>
    <message>
        <source>客户</source>
        <translation>Customer</translation>
    </message>
    <message>
        <source>截止</source>
        <translation>Due</translation>
    </message>
    <message>
        <source>额度</source>
        <translation>Line</translation>
    </message>
    <message>
        <source>客户经理</source>
        <translation>Officer</translation>
    </message>
    <message>
        <source>查看(&amp;V)</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>正在读取今日任务…</source>
        <translation>Reading today&apos;s tasks…</translation>
    </message>
    <message>
        <source>打开客户卡片 (Enter)</source>
        <translation>Open the card (Enter)</translation>
    </message>
    <message>
        <source>登记结果 (R)</source>
        <translation>Record outcome (R)</translation>
    </message>
    <message>
        <source>↑↓ 选择 · Enter 打开客户卡片
R 登记结果，再按 1 已完成 · 2 未联系上 · 3 拒绝 · 4 预约</source>
        <translation>↑↓ choose · Enter opens the card
R records the outcome, then 1 done · 2 not reached · 3 declined · 4 appointment</translation>
    </message>
    <message>
        <source>今日任务未能读取</source>
        <translation>Today&apos;s tasks could not be read</translation>
    </message>
    <message>
        <source>我的任务</source>
        <translation>My tasks</translation>
    </message>
    <message>
        <source>全网点 {0}</source>
        <translation>Whole branch {0}</translation>
    </message>
    <message>
        <source>，</source>
        <translation>, </translation>
    </message>
    <message>
        <source>今日任务 {0} 项</source>
        <translation>{0} tasks today</translation>
    </message>
    <message>
        <source>：</source>
        <translation>: </translation>
    </message>
    <message>
        <source>今日没有待办任务</source>
        <translation>No tasks today</translation>
    </message>
    <message>
        <source>（预约）</source>
        <translation> (appointment)</translation>
    </message>
    <message>
        <source>未分配</source>
        <translation>unassigned</translation>
    </message>
    <message>
        <source>无截止日期</source>
        <translation>no due date</translation>
    </message>
    <message>
        <source>（已逾期）</source>
        <translation> (overdue)</translation>
    </message>
    <message>
        <source>（预约今日）</source>
        <translation> (appointment today)</translation>
    </message>
    <message>
        <source>截止 {0}</source>
        <translation>due {0}</translation>
    </message>
    <message>
        <source>额度 {0} 元</source>
        <translation>line ¥{0}</translation>
    </message>
    <message>
        <source>名单 {0}</source>
        <translation>list {0}</translation>
    </message>
    <message>
        <source>客户经理 {0}</source>
        <translation>officer {0}</translation>
    </message>
    <message>
        <source>已登记：{0} {1} → {2}</source>
        <translation>Recorded: {0} {1} → {2}</translation>
    </message>
    <message>
        <source>（{0} 再次提醒）</source>
        <translation> (back on {0})</translation>
    </message>
    <message>
        <source>；已销号</source>
        <translation>; struck</translation>
    </message>
</context>
<context>
    <name>Tile</name>
    <message>
        <source>较一周前：—</source>
        <translation>vs a week ago: —</translation>
    </message>
    <message>
        <source>较一周前 {0} {1} 个百分点</source>
        <translation>vs a week ago {0} {1} points</translation>
    </message>
</context>
<context>
    <name>Vocabulary</name>
    <message>
        <source>待审批</source>
        <translation>awaiting approval</translation>
    </message>
    <message>
        <source>已批准</source>
        <translation>approved</translation>
    </message>
    <message>
        <source>已拒绝</source>
        <translation>rejected</translation>
    </message>
    <message>
        <source>已撤销</source>
        <translation>cancelled</translation>
    </message>
    <message>
        <source>已签约</source>
        <translation>signed</translation>
    </message>
    <message>
        <source>已失效</source>
        <translation>expired</translation>
    </message>
    <message>
        <source>已批准，待签约</source>
        <translation>approved, to sign</translation>
    </message>
    <message>
        <source>已识别</source>
        <translation>identified</translation>
    </message>
    <message>
        <source>已调查</source>
        <translation>surveyed</translation>
    </message>
    <message>
        <source>已提交</source>
        <translation>submitted</translation>
    </message>
    <message>
        <source>柜员</source>
        <translation>teller</translation>
    </message>
    <message>
        <source>大堂经理</source>
        <translation>lobby manager</translation>
    </message>
    <message>
        <source>网点负责人</source>
        <translation>branch head</translation>
    </message>
    <message>
        <source>总行管理员</source>
        <translation>head-office admin</translation>
    </message>
    <message>
        <source>预授信协议</source>
        <translation>pre-credit agreement</translation>
    </message>
    <message>
        <source>授信告知函</source>
        <translation>notification letter</translation>
    </message>
    <message>
        <source>个人信用信息查询及个人信息处理授权书</source>
        <translation>credit-report and personal-information authorisation</translation>
    </message>
    <message>
        <source>客户</source>
        <translation>customers</translation>
    </message>
    <message>
        <source>代发</source>
        <translation>payroll</translation>
    </message>
    <message>
        <source>代扣协议</source>
        <translation>withholding agreements</translation>
    </message>
    <message>
        <source>代扣流水</source>
        <translation>withholding debits</translation>
    </message>
    <message>
        <source>负面清单</source>
        <translation>negative list</translation>
    </message>
    <message>
        <source>用信</source>
        <translation>drawdowns</translation>
    </message>
    <message>
        <source>标签</source>
        <translation>tags</translation>
    </message>
    <message>
        <source>目标名单</source>
        <translation>targets</translation>
    </message>
    <message>
        <source>征信问题</source>
        <translation>credit report</translation>
    </message>
    <message>
        <source>失信被执行人</source>
        <translation>court defaulter</translation>
    </message>
    <message>
        <source>不良嗜好</source>
        <translation>bad habits</translation>
    </message>
    <message>
        <source>欺诈</source>
        <translation>fraud</translation>
    </message>
    <message>
        <source>其他原因</source>
        <translation>other</translation>
    </message>
    <message>
        <source>公务员</source>
        <translation>civil servant</translation>
    </message>
    <message>
        <source>党员</source>
        <translation>party member</translation>
    </message>
    <message>
        <source>退役军人</source>
        <translation>veteran</translation>
    </message>
    <message>
        <source>道德模范</source>
        <translation>model resident</translation>
    </message>
    <message>
        <source>诚信经营户</source>
        <translation>trusted business</translation>
    </message>
    <message>
        <source>家庭农场</source>
        <translation>family farm</translation>
    </message>
    <message>
        <source>水费</source>
        <translation>water</translation>
    </message>
    <message>
        <source>电费</source>
        <translation>electricity</translation>
    </message>
    <message>
        <source>燃气费</source>
        <translation>gas</translation>
    </message>
    <message>
        <source>通讯费</source>
        <translation>telecom</translation>
    </message>
    <message>
        <source>物业费</source>
        <translation>property fee</translation>
    </message>
    <message>
        <source>有线电视</source>
        <translation>cable TV</translation>
    </message>
    <message>
        <source>调查</source>
        <translation>Survey</translation>
    </message>
    <message>
        <source>提交审批</source>
        <translation>Submit</translation>
    </message>
    <message>
        <source>送达告知函</source>
        <translation>Deliver the letter</translation>
    </message>
    <message>
        <source>签约</source>
        <translation>Get signed</translation>
    </message>
    <message>
        <source>用信回访</source>
        <translation>Follow up usage</translation>
    </message>
    <message>
        <source>续授信</source>
        <translation>Renew</translation>
    </message>
    <message>
        <source>已完成</source>
        <translation>done</translation>
    </message>
    <message>
        <source>未联系上</source>
        <translation>not reached</translation>
    </message>
    <message>
        <source>客户拒绝</source>
        <translation>declined</translation>
    </message>
    <message>
        <source>已预约</source>
        <translation>appointment</translation>
    </message>
    <message>
        <source>整村</source>
        <translation>Village</translation>
    </message>
    <message>
        <source>整企</source>
        <translation>Enterprise</translation>
    </message>
    <message>
        <source>整会</source>
        <translation>Association</translation>
    </message>
    <message>
        <source>整局</source>
        <translation>Bureau</translation>
    </message>
    <message>
        <source>整社区</source>
        <translation>Community</translation>
    </message>
    <message>
        <source>整市场</source>
        <translation>Market</translation>
    </message>
    <message>
        <source>村</source>
        <translation>Village</translation>
    </message>
    <message>
        <source>企业</source>
        <translation>Enterprise</translation>
    </message>
    <message>
        <source>协会/商会</source>
        <translation>Association</translation>
    </message>
    <message>
        <source>机关单位</source>
        <translation>Government body</translation>
    </message>
    <message>
        <source>小区</source>
        <translation>Residential compound</translation>
    </message>
    <message>
        <source>市场</source>
        <translation>Market</translation>
    </message>
    <message>
        <source>进行中</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>已结束</source>
        <translation>Closed</translation>
    </message>
    <message>
        <source>本行客户</source>
        <translation>Customer</translation>
    </message>
    <message>
        <source>新客户</source>
        <translation>New to the bank</translation>
    </message>
    <message>
        <source>未通过</source>
        <translation>Refused</translation>
    </message>
    <message>
        <source>已移出名单</source>
        <translation>Removed</translation>
    </message>
    <message>
        <source>好</source>
        <translation>Good</translation>
    </message>
    <message>
        <source>一般</source>
        <translation>Fair</translation>
    </message>
    <message>
        <source>差</source>
        <translation>Poor</translation>
    </message>
    <message>
        <source>0</source>
        <translation>0</translation>
    </message>
    <message>
        <source>≤30,000</source>
        <translation>≤30,000</translation>
    </message>
    <message>
        <source>30,001–50,000</source>
        <translation>30,001–50,000</translation>
    </message>
    <message>
        <source>50,001–100,000</source>
        <translation>50,001–100,000</translation>
    </message>
    <message>
        <source>100,001–200,000</source>
        <translation>100,001–200,000</translation>
    </message>
    <message>
        <source>200,001以上</source>
        <translation>over 200,000</translation>
    </message>
</context>
<context>
    <name>WalkinsView</name>
    <message>
        <source>到店</source>
        <translation>Arrived</translation>
    </message>
    <message>
        <source>客户</source>
        <translation>Customer</translation>
    </message>
    <message>
        <source>进度</source>
        <translation>Progress</translation>
    </message>
    <message>
        <source>额度（元）</source>
        <translation>Line (¥)</translation>
    </message>
    <message>
        <source>柜员</source>
        <translation>Teller</translation>
    </message>
    <message>
        <source>，</source>
        <translation>, </translation>
    </message>
    <message>
        <source>；</source>
        <translation>; </translation>
    </message>
    <message>
        <source>{0} 已等 {1} 分钟</source>
        <translation>{0} waiting {1} min</translation>
    </message>
    <message>
        <source>今日到店 {0} 人：{1}</source>
        <translation>{0} walk-ins today: {1}</translation>
    </message>
    <message>
        <source>仍在等待：</source>
        <translation>Still waiting: </translation>
    </message>
</context>
</TS>
